package gen

// mainSrc is the command of a generated program: the flags of
// `stockflow run` and its CSV.
const mainSrc = `
type repeated []string

func (s *repeated) String() string     { return strings.Join(*s, " ") }
func (s *repeated) Set(v string) error { *s = append(*s, v); return nil }

// canonical is a name as the model matches it: case, spaces and
// underscores do not matter.
func canonical(name string) string {
	name = strings.ReplaceAll(name, ` + "`\\n`" + `, " ")
	var b strings.Builder
	pending := false
	for _, r := range name {
		if r == '_' || unicode.IsSpace(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte('_')
			pending = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// find returns the slots a name stands for: a variable, or every element
// of an arrayed one (x or x[*]).
func find(name string) ([]int, error) {
	c := canonical(name)
	for s := range canon {
		if canon[s] != "" && canon[s] == c {
			return []int{s}, nil
		}
	}
	base := strings.TrimSuffix(c, "[*]") + "["
	var out []int
	for _, s := range public {
		if strings.HasPrefix(canon[s], base) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("undefined variable %q", name)
	}
	return out, nil
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err == flag.ErrHelp {
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", filepath.Base(os.Args[0]), err)
		if _, ok := err.(usageError); ok {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vars := fs.String("vars", "", "the variables to write, in order: ` + "`a,b`" + ` (default: all)")
	var sets repeated
	fs.Var(&sets, "set", "set a constant or a stock's initial value: ` + "`NAME=VALUE`" + ` (repeatable)")
	method := fs.String("method", defaultMethod, "the integration ` + "`method`" + `: euler, rk2 or rk4")
	dt := fs.Float64("dt", defaultDT, "the time ` + "`step`" + `")
	seed := fs.Uint64("seed", 0, "the ` + "`SEED`" + ` of the random functions")
	out := fs.String("o", "", "write the CSV to this ` + "`FILE`" + ` (default: standard output)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	var set [nSlots]float64
	var has [nSlots]bool
	for _, s := range sets {
		name, val, ok := strings.Cut(s, "=")
		if !ok {
			return usageError{fmt.Sprintf("--set %q: expected NAME=VALUE", s)}
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return usageError{fmt.Sprintf("--set %s: %q is not a number", name, val)}
		}
		slots, err := find(strings.TrimSpace(name))
		if err != nil {
			return err
		}
		for _, slot := range slots {
			if !settable[slot] {
				return fmt.Errorf("cannot set %q: it is not a constant (its value changes during a run)", name)
			}
			if has[slot] {
				return fmt.Errorf("%q is set twice", names[slot])
			}
			set[slot], has[slot] = x, true
		}
	}
	cols := public
	if *vars != "" {
		cols = nil
		for _, name := range strings.Split(*vars, ",") {
			slots, err := find(strings.TrimSpace(name))
			if err != nil {
				return err
			}
			cols = append(cols, slots...)
		}
	}
	if stride, exact := saveStride(*dt); !exact && *dt > 0 {
		fmt.Fprintf(stderr, "warning: save_every (%g) is not a whole multiple of dt (%g): rows are saved every %g\n", float64(saveEvery), *dt, float64(stride)**dt)
	}
	var w io.Writer = stdout
	if *out != "" && *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	b := []byte("time")
	for _, s := range cols {
		b = append(b, ',')
		b = appendField(b, names[s])
	}
	b = append(b, '\n')
	err := simulate(&set, &has, strings.ToLower(*method), *dt, *seed, cols, func(t float64, row []float64) error {
		b = strconv.AppendFloat(b, t, 'g', -1, 64)
		for _, x := range row {
			b = append(b, ',')
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
		}
		b = append(b, '\n')
		_, err := bw.Write(b)
		b = b[:0]
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// appendField quotes a CSV field when it needs it (RFC 4180).
func appendField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n\r") && (len(s) == 0 || s[0] != ' ') {
		return append(b, s...)
	}
	return append(append(b, '"'), strings.ReplaceAll(s, "\"", "\"\"")+"\""...)
}
`

// packageSrc is the API of a generated package.
const packageSrc = `
// Options are the run's time settings; zero values mean the model's.
type Options struct {
	Method string // "euler", "rk2" or "rk4"
	DT     float64
	Seed   uint64 // the seed of the random functions
}

// Result holds the series of a run: Values[j][i] is variable Names[j] at
// Times[i].
type Result struct {
	Names  []string
	Times  []float64
	Values [][]float64
}

// Run runs the model with the given constants.
func Run(p Params, o Options) (*Result, error) {
	var set [nSlots]float64
	var has [nSlots]bool
	p.set(&set, &has)
	method, dt := o.Method, o.DT
	if method == "" {
		method = defaultMethod
	}
	if dt == 0 {
		dt = defaultDT
	}
	res := &Result{Values: make([][]float64, len(public))}
	for _, s := range public {
		res.Names = append(res.Names, names[s])
	}
	err := simulate(&set, &has, method, dt, o.Seed, public, func(t float64, row []float64) error {
		res.Times = append(res.Times, t)
		for j, x := range row {
			res.Values[j] = append(res.Values[j], x)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
`
