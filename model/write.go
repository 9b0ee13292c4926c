package model

import (
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stockflow/stockflow/model/expr"
)

// WriteYAML writes m as a model file that Load reads back to an equal
// model, positions aside. It writes the variables by kind, stocks first,
// then flows and auxiliaries, each kind in model order; a short form
// (name: equation) where nothing but the equation is set; and names and
// text quoted where YAML needs it. A model built from parts (m.Parts) is
// written as its parts: its own variables, a models section holding each
// model its modules place (from files too: the output is one file), its
// modules and its macros.
func WriteYAML(w io.Writer, m *Model) error {
	root := newYAMLMapping(yaml.Style(0))
	if m.Name != "" {
		root.add("name", yamlText(m.Name))
	}
	if m.Doc != "" {
		root.add("doc", yamlText(m.Doc))
	}
	root.add("time", yamlTime(m.Time))
	yamlDimensionsAndVars(root, m)
	if m.Parts != nil {
		yamlParts(root, m)
	}
	if len(m.Scenarios) > 0 {
		root.add("scenarios", yamlScenarios(m.Scenarios))
	}
	if len(m.Loops) > 0 {
		section := newYAMLMapping(0)
		for _, l := range m.Loops {
			vars := yamlNames(l.Variables)
			if l.Doc == "" {
				section.add(l.Name, vars)
				continue
			}
			n := newYAMLMapping(0)
			n.add("doc", yamlText(l.Doc))
			n.add("variables", vars)
			section.add(l.Name, n.Node)
		}
		root.add("loops", section.Node)
	}
	if len(m.Units) > 0 {
		section := newYAMLMapping(0)
		for _, u := range m.Units {
			if len(u.Aliases) == 0 && u.Doc == "" {
				section.add(u.Name, yamlText(u.Equation))
				continue
			}
			n := newYAMLMapping(yaml.FlowStyle)
			if u.Equation != "" {
				n.add("equation", yamlText(u.Equation))
			}
			if len(u.Aliases) > 0 {
				n.add("aliases", yamlNames(u.Aliases))
			}
			if u.Doc != "" {
				n.add("doc", yamlText(u.Doc))
			}
			section.add(u.Name, n.Node)
		}
		root.add("units", section.Node)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(root.Node); err != nil {
		return err
	}
	return enc.Close()
}

// yamlVarsAndLookups adds the stocks, flows, auxiliaries and lookups
// sections.
func yamlVarsAndLookups(root yamlMapping, vars []*Variable, lookups []*Lookup) {
	for _, kind := range []Kind{Stock, Flow, Aux} {
		section := newYAMLMapping(0)
		for _, v := range vars {
			if v.Kind == kind {
				section.add(v.Name, yamlVariable(v))
			}
		}
		if len(section.Content) > 0 {
			root.add(map[Kind]string{Stock: "stocks", Flow: "flows", Aux: "auxiliaries"}[kind], section.Node)
		}
	}
	if len(lookups) > 0 {
		section := newYAMLMapping(0)
		for _, l := range lookups {
			section.add(l.Name, yamlLookup(l))
		}
		root.add("lookups", section.Node)
	}
}

// WriteScenarios writes a scenario file (see LoadScenarios) holding doc
// and the scenarios.
func WriteScenarios(w io.Writer, doc string, ss []*Scenario) error {
	root := newYAMLMapping(0)
	if doc != "" {
		root.add("doc", yamlText(doc))
	}
	root.add("scenarios", yamlScenarios(ss))
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(root.Node); err != nil {
		return err
	}
	return enc.Close()
}

func yamlScenarios(ss []*Scenario) *yaml.Node {
	section := newYAMLMapping(0)
	for _, s := range ss {
		n := newYAMLMapping(0)
		if s.Doc != "" {
			n.add("doc", yamlText(s.Doc))
		}
		if len(s.Set) > 0 {
			set := newYAMLMapping(yaml.FlowStyle)
			for _, x := range s.Set {
				set.add(x.Name, yamlNumber(x.Value))
			}
			n.add("set", set.Node)
		}
		if len(s.Lookups) > 0 {
			lookups := newYAMLMapping(0)
			for _, l := range s.Lookups {
				lookups.add(l.Name, yamlLookup(l))
			}
			n.add("lookups", lookups.Node)
		}
		section.add(s.Name, n.Node)
	}
	return section.Node
}

// yamlMapping builds a YAML mapping.
type yamlMapping struct{ *yaml.Node }

func newYAMLMapping(style yaml.Style) yamlMapping {
	return yamlMapping{&yaml.Node{Kind: yaml.MappingNode, Style: style}}
}

func (n yamlMapping) add(key string, value *yaml.Node) {
	n.Content = append(n.Content, yamlText(key), value)
}

// yamlText is a string scalar; the encoder quotes it when it would otherwise
// read as something else.
func yamlText(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

// yamlNumber is a scalar that reads back as exactly x.
func yamlNumber(x float64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(x, 'g', -1, 64)}
}

func yamlNames(list []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range list {
		n.Content = append(n.Content, yamlText(s))
	}
	return n
}

func yamlTime(t Time) *yaml.Node {
	n := newYAMLMapping(yaml.FlowStyle)
	n.add("start", yamlNumber(t.Start))
	n.add("stop", yamlNumber(t.Stop))
	n.add("dt", yamlNumber(t.DT))
	if t.SaveEvery != 0 {
		n.add("save_every", yamlNumber(t.SaveEvery))
	}
	if t.Method != 0 {
		n.add("method", yamlText(t.Method.String()))
	}
	if t.Units != "" {
		n.add("units", yamlText(t.Units))
	}
	return n.Node
}

// yamlEquation writes an equation's text, or the printed form of a tree
// built by a program; a number stays a plain number.
func yamlEquation(eq Equation) *yaml.Node {
	s := eq.Text
	if strings.TrimSpace(s) == "" && eq.Expr != nil {
		s = expr.Format(eq.Expr)
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && strings.TrimSpace(s) == s {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	}
	return yamlText(s)
}

func yamlVariable(v *Variable) *yaml.Node {
	eqKey := "equation"
	if v.Kind == Stock {
		eqKey = "initial"
	}
	n := newYAMLMapping(0)
	if len(v.Dims) > 0 {
		n.add("dims", yamlNames(v.Dims))
	}
	if v.Equation.Text != "" || v.Equation.Expr != nil {
		n.add(eqKey, yamlEquation(v.Equation))
	}
	if v.Kind != Stock && (v.Initial.Text != "" || v.Initial.Expr != nil) {
		n.add("initial", yamlEquation(v.Initial))
	}
	if len(v.Elements) > 0 {
		els := newYAMLMapping(0)
		for _, el := range v.Elements {
			if el.Lookup == nil || v.Kind == Stock {
				els.add(el.Key(), yamlEquation(el.Equation))
				continue
			}
			e := newYAMLMapping(0)
			e.add(eqKey, yamlEquation(el.Equation))
			e.add("lookup", yamlLookup(el.Lookup))
			els.add(el.Key(), e.Node)
		}
		n.add("elements", els.Node)
	}
	if v.Kind == Stock {
		if len(v.Inflows) > 0 {
			n.add("inflows", yamlNames(v.Inflows))
		}
		if len(v.Outflows) > 0 {
			n.add("outflows", yamlNames(v.Outflows))
		}
	}
	if v.NonNegative && v.Kind != Aux {
		n.add("non_negative", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	}
	if v.Lookup != nil && v.Kind != Stock {
		n.add("lookup", yamlLookup(v.Lookup))
	}
	if v.Units != "" {
		n.add("units", yamlText(v.Units))
	}
	if r := v.Range; r != nil {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle,
			Content: []*yaml.Node{yamlNumber(r.Min), yamlNumber(r.Max)}}
		if r.Step != 0 {
			seq.Content = append(seq.Content, yamlNumber(r.Step))
		}
		n.add("range", seq)
	}
	if v.Uncertainty != nil {
		n.add("uncertainty", yamlText(v.Uncertainty.String()))
	}
	if v.Label != "" {
		n.add("label", yamlText(v.Label))
	}
	if v.Doc != "" {
		n.add("doc", yamlText(v.Doc))
	}
	if len(n.Content) == 2 && n.Content[0].Value == eqKey {
		return n.Content[1] // the short form
	}
	return n.Node
}

func yamlLookup(l *Lookup) *yaml.Node {
	n := newYAMLMapping(0)
	if len(l.Dims) > 0 {
		n.add("dims", yamlNames(l.Dims))
	}
	if len(l.Elements) > 0 {
		els := newYAMLMapping(0)
		for _, el := range l.Elements {
			if el.Lookup != nil {
				els.add(el.Key(), yamlLookup(el.Lookup))
			}
		}
		n.add("elements", els.Node)
		if len(l.X) == 0 {
			return n.Node
		}
	}
	points := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for i := range min(len(l.X), len(l.Y)) {
		points.Content = append(points.Content, &yaml.Node{
			Kind: yaml.SequenceNode, Style: yaml.FlowStyle,
			Content: []*yaml.Node{yamlNumber(l.X[i]), yamlNumber(l.Y[i])},
		})
	}
	n.add("points", points)
	if l.Mode != Continuous {
		n.add("mode", yamlText(l.Mode.String()))
	}
	if l.Units != "" {
		n.add("units", yamlText(l.Units))
	}
	if l.InputUnits != "" {
		n.add("input_units", yamlText(l.InputUnits))
	}
	if l.Doc != "" {
		n.add("doc", yamlText(l.Doc))
	}
	return n.Node
}

func yamlDimension(d *Dimension) *yaml.Node {
	var elements *yaml.Node
	if d.Indexed {
		elements = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(d.Size())}
	} else {
		elements = yamlNames(d.Elements)
	}
	if d.Of == "" && len(d.Maps) == 0 && d.Doc == "" {
		return elements
	}
	n := newYAMLMapping(0)
	if d.Of != "" {
		n.add("of", yamlText(d.Of))
	}
	n.add("elements", elements)
	var maps []string
	explicit := newYAMLMapping(0)
	for _, mp := range d.Maps {
		maps = append(maps, mp.To)
		explicit.add(mp.To, yamlNames(mp.Elements))
	}
	byList := false
	for _, mp := range d.Maps {
		byList = byList || len(mp.Elements) > 0
	}
	switch {
	case byList:
		n.add("maps_to", explicit.Node)
	case len(maps) > 0:
		n.add("maps_to", yamlNames(maps))
	}
	if d.Doc != "" {
		n.add("doc", yamlText(d.Doc))
	}
	return n.Node
}
