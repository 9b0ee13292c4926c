// Command hand runs the sector model written by hand in Go and writes
// time and s0 as CSV, as the generated program does with --vars s0: the
// baseline of BenchmarkGenerated.
//
//	hand -n 1000 -steps 80000 -o out.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/stockflow/stockflow/sim/internal/sectors"
)

func main() {
	n := flag.Int("n", 1000, "the number of sectors")
	steps := flag.Int("steps", 80000, "the number of Euler steps")
	out := flag.String("o", "", "write the CSV to this `FILE` (default: standard output)")
	flag.Parse()
	f := os.Stdout
	if *out != "" {
		var err error
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintln(os.Stderr, "hand:", err)
			os.Exit(1)
		}
	}
	w := bufio.NewWriterSize(f, 64<<10)
	w.WriteString("time,s0\n")
	var b []byte
	sectors.Run(*n, *steps, func(t, s0 float64) {
		b = strconv.AppendFloat(b[:0], t, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, s0, 'g', -1, 64)
		b = append(b, '\n')
		w.Write(b)
	})
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "hand:", err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "hand:", err)
		os.Exit(1)
	}
}
