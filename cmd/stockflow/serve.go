package main

import (
	"io"

	"github.com/stockflow/stockflow/sim/web"
)

func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "MODEL", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this `HOST:PORT` (a warning is printed when it is not a loopback address)")
	var vars list
	fs.Var(&vars, "vars", "the variables the page charts at first: `a,b` (default: the first four stocks)")
	pos, err := parse(fs, args, 1, "MODEL")
	if err != nil {
		return err
	}
	p, err := compile(pos[0])
	if err != nil {
		return err
	}
	h, err := web.New(p, web.Options{Vars: vars})
	if err != nil {
		return err
	}
	ctx, stop := interruptible()
	defer stop()
	return web.Serve(ctx, *addr, h, stderr)
}
