package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strconv"
	"strings"
)

// This file reads Office Open XML workbooks (.xlsx): a zip archive of XML
// parts. xl/workbook.xml lists the sheets and defined names,
// xl/_rels/workbook.xml.rels says which part holds each sheet,
// xl/sharedStrings.xml holds the text of cells of type "s".

// maxPart bounds the size of one part once decompressed.
const maxPart = 256 << 20

type xWorkbook struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
	Names []struct {
		Name  string `xml:"name,attr"`
		Local *int   `xml:"localSheetId,attr"`
		Text  string `xml:",chardata"`
	} `xml:"definedNames>definedName"`
}

type xRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// xText is a shared or inline string: plain, or in runs of formatting.
type xText struct {
	T    string `xml:"t"`
	Runs []struct {
		T string `xml:"t"`
	} `xml:"r"`
}

func (t xText) String() string {
	if len(t.Runs) == 0 {
		return t.T
	}
	var b strings.Builder
	b.WriteString(t.T)
	for _, r := range t.Runs {
		b.WriteString(r.T)
	}
	return b.String()
}

type xSST struct {
	Items []xText `xml:"si"`
}

type xSheet struct {
	Rows []struct {
		R     int `xml:"r,attr"`
		Cells []struct {
			R      string `xml:"r,attr"`
			T      string `xml:"t,attr"`
			V      string `xml:"v"`
			Inline xText  `xml:"is"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
}

func (w *Workbook) readXLSX(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return formatErr("not an .xlsx workbook (%v)", err)
	}
	parts := make(map[string]*zip.File)
	for _, f := range zr.File {
		parts[strings.ToLower(f.Name)] = f
	}
	read := func(name string, into any) (bool, error) {
		f := parts[strings.ToLower(name)]
		if f == nil {
			return false, nil
		}
		rc, err := f.Open()
		if err != nil {
			return true, formatErr("%s: %v", name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxPart+1))
		if err != nil {
			return true, formatErr("%s: %v", name, err)
		}
		if len(b) > maxPart {
			return true, formatErr("%s is larger than %d MB", name, maxPart>>20)
		}
		if err := xml.Unmarshal(b, into); err != nil {
			return true, formatErr("%s: %v", name, err)
		}
		return true, nil
	}
	var wb xWorkbook
	if ok, err := read("xl/workbook.xml", &wb); err != nil {
		return err
	} else if !ok {
		return formatErr("the archive has no xl/workbook.xml")
	}
	var rels xRels
	if _, err := read("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return err
	}
	targets := make(map[string]string)
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	var sst xSST
	if _, err := read("xl/sharedStrings.xml", &sst); err != nil {
		return err
	}
	for i, s := range wb.Sheets {
		target, ok := targets[s.ID]
		if !ok {
			target = "xl/worksheets/sheet" + strconv.Itoa(i+1) + ".xml"
		}
		var xs xSheet
		if ok, err := read(target, &xs); err != nil {
			return err
		} else if !ok {
			return formatErr("the sheet %q has no part %s", s.Name, target)
		}
		sh := &Sheet{Name: s.Name}
		for ri, row := range xs.Rows {
			rowNum := row.R
			if rowNum == 0 {
				rowNum = ri + 1
			}
			for ci, c := range row.Cells {
				ref := Ref{Row: rowNum - 1, Col: ci}
				if c.R != "" {
					var ok bool
					if ref, ok = ParseRef(c.R); !ok {
						return formatErr("%s: bad cell reference %q", target, c.R)
					}
				}
				cell, err := xlsxCell(c.T, c.V, c.Inline, sst)
				if err != nil {
					return formatErr("%s!%s: %v", s.Name, ref, err)
				}
				sh.set(ref, cell)
			}
		}
		w.Sheets = append(w.Sheets, sh)
	}
	for _, n := range wb.Names {
		dn := definedName{name: n.Name, text: n.Text}
		if n.Local != nil && *n.Local >= 0 && *n.Local < len(wb.Sheets) {
			dn.scope = wb.Sheets[*n.Local].Name
		}
		w.names = append(w.names, dn)
	}
	return nil
}

// xlsxCell reads a cell of type t with value v.
func xlsxCell(t, v string, inline xText, sst xSST) (Cell, error) {
	switch t {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(sst.Items) {
			return Cell{}, formatErr("shared string %q out of range", v)
		}
		return Cell{Kind: Text, Str: sst.Items[i].String()}, nil
	case "inlineStr":
		return Cell{Kind: Text, Str: inline.String()}, nil
	case "str":
		return Cell{Kind: Text, Str: v}, nil
	case "b":
		return Cell{Kind: Bool, Num: truth(strings.TrimSpace(v) == "1")}, nil
	case "e":
		return Cell{Kind: Error, Str: v}, nil
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return Cell{}, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return Cell{}, formatErr("the number %q does not read", v)
	}
	return Cell{Kind: Number, Num: x}, nil
}

func truth(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
