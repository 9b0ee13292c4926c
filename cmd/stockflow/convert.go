package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/xmile"
)

// cmdConvert converts a model (YAML, XMILE or Vensim .mdl) to YAML or
// XMILE, choosing each format by the file's extension.
func cmdConvert(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("convert", "IN OUT", stderr)
	force := fs.Bool("force", false, "replace OUT if it exists")
	pos, err := parse(fs, args, 2, "IN and OUT")
	if err != nil {
		return err
	}
	in, out := pos[0], pos[1]
	write, err := writerFor(out)
	if err != nil {
		return err
	}
	if a, err := os.Stat(out); err == nil {
		if b, err := os.Stat(in); err == nil && os.SameFile(a, b) {
			return usagef("convert: refusing to write over the input %s", in)
		}
		if !*force {
			return usagef("convert: %s exists (use --force to replace it)", out)
		}
	}
	m, err := load(in)
	if err != nil {
		return err
	}
	return writeOutput(out, in, stdout, func(w io.Writer) error { return write(w, m) })
}

// writerFor returns the function that writes a model in the format of
// path's extension.
func writerFor(path string) (func(io.Writer, *model.Model) error, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return model.WriteYAML, nil
	case ".xmile", ".stmx", ".itmx":
		return xmile.Write, nil
	}
	return nil, usagef("convert: unknown output format %q for %s (expected .yaml, .yml, .xmile, .stmx or .itmx)", filepath.Ext(path), path)
}
