package main

import (
	"flag"
	"os"
)

// The command writes time and s0 as CSV, as a generated program does
// with --vars s0; here for a run of no steps.
func Example() {
	flag.CommandLine = flag.NewFlagSet("hand", flag.ExitOnError)
	os.Args = []string{"hand", "-n", "3", "-steps", "0"}
	main()
	// Output:
	// time,s0
	// 0,100
}
