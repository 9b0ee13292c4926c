package sheet

import (
	"encoding/binary"
	"math"
	"unicode/utf16"
)

// This file reads the binary workbooks of Excel 97 to 2003 (.xls): a
// Compound File (a small file system of sectors, with a table of where
// each stream's sectors are) whose stream "Workbook" holds BIFF8 records.
// The records read are the sheets' names (BOUNDSHEET), the table of
// shared strings (SST and its CONTINUE records) and the cells (NUMBER,
// RK, MULRK, LABELSST, LABEL, FORMULA with its STRING, BOOLERR).

const (
	endOfChain = 0xFFFFFFFE
	freeSect   = 0xFFFFFFFF
)

// cfb is a Compound File opened for reading its streams.
type cfb struct {
	data       []byte
	sectorSize int
	miniSize   int
	cutoff     uint32
	fat        []uint32
	miniFAT    []uint32
	miniStream []byte
	dir        []dirEntry
}

type dirEntry struct {
	name  string
	typ   byte // 1 storage, 2 stream, 5 root
	start uint32
	size  uint64
}

var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func openCFB(data []byte) (*cfb, error) {
	if len(data) < 512 || string(data[:8]) != string(cfbMagic) {
		return nil, formatErr("not an .xls workbook (no Compound File header)")
	}
	le := binary.LittleEndian
	shift := le.Uint16(data[0x1E:])
	miniShift := le.Uint16(data[0x20:])
	if shift != 9 && shift != 12 || miniShift != 6 {
		return nil, formatErr("unexpected sector sizes 2^%d and 2^%d", shift, miniShift)
	}
	f := &cfb{data: data, sectorSize: 1 << shift, miniSize: 1 << miniShift, cutoff: le.Uint32(data[0x38:])}
	nSectors := (len(data) - 512 + f.sectorSize - 1) / f.sectorSize
	// The sectors of the FAT: 109 in the header, the rest in DIFAT
	// sectors chained from the header.
	var fatSectors []uint32
	for i := 0; i < 109; i++ {
		s := le.Uint32(data[0x4C+4*i:])
		if s != freeSect && s != endOfChain {
			fatSectors = append(fatSectors, s)
		}
	}
	difat := le.Uint32(data[0x44:])
	for n := 0; difat != endOfChain && difat != freeSect; n++ {
		if n > nSectors {
			return nil, formatErr("the sector table's chain loops")
		}
		sec, err := f.sector(difat)
		if err != nil {
			return nil, err
		}
		per := f.sectorSize/4 - 1
		for i := 0; i < per; i++ {
			s := le.Uint32(sec[4*i:])
			if s != freeSect && s != endOfChain {
				fatSectors = append(fatSectors, s)
			}
		}
		difat = le.Uint32(sec[4*per:])
	}
	for _, s := range fatSectors {
		sec, err := f.sector(s)
		if err != nil {
			return nil, err
		}
		for i := 0; i < f.sectorSize/4; i++ {
			f.fat = append(f.fat, le.Uint32(sec[4*i:]))
		}
	}
	dirData, err := f.chain(le.Uint32(data[0x30:]), -1)
	if err != nil {
		return nil, err
	}
	for off := 0; off+128 <= len(dirData); off += 128 {
		e := dirData[off : off+128]
		n := int(le.Uint16(e[64:]))
		if n > 64 {
			n = 64
		}
		u := make([]uint16, 0, 32)
		for i := 0; i+1 < n; i += 2 {
			if c := le.Uint16(e[i:]); c != 0 {
				u = append(u, c)
			}
		}
		size := le.Uint64(e[120:])
		if shift == 9 {
			size &= 0xFFFFFFFF
		}
		f.dir = append(f.dir, dirEntry{name: string(utf16.Decode(u)), typ: e[66], start: le.Uint32(e[116:]), size: size})
	}
	if len(f.dir) == 0 || f.dir[0].typ != 5 {
		return nil, formatErr("the Compound File has no root entry")
	}
	if mf := le.Uint32(data[0x3C:]); mf != endOfChain && mf != freeSect {
		b, err := f.chain(mf, -1)
		if err != nil {
			return nil, err
		}
		for i := 0; i+4 <= len(b); i += 4 {
			f.miniFAT = append(f.miniFAT, le.Uint32(b[i:]))
		}
		root := f.dir[0]
		if f.miniStream, err = f.chain(root.start, int64(root.size)); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// sector returns sector s.
func (f *cfb) sector(s uint32) ([]byte, error) {
	off := 512 + int64(s)*int64(f.sectorSize)
	if s >= 0xFFFFFFFA || off+int64(f.sectorSize) > int64(len(f.data)) {
		// The last sector of a file may be cut short.
		if s < 0xFFFFFFFA && off < int64(len(f.data)) {
			b := make([]byte, f.sectorSize)
			copy(b, f.data[off:])
			return b, nil
		}
		return nil, formatErr("sector %d is outside the file", s)
	}
	return f.data[off : off+int64(f.sectorSize)], nil
}

// chain reads the sectors chained in the FAT from start; size < 0 reads
// the whole chain.
func (f *cfb) chain(start uint32, size int64) ([]byte, error) {
	var out []byte
	for n, s := 0, start; s != endOfChain; n++ {
		if n > len(f.fat) || int(s) >= len(f.fat) {
			return nil, formatErr("a chain of sectors is broken or loops")
		}
		sec, err := f.sector(s)
		if err != nil {
			return nil, err
		}
		out = append(out, sec...)
		if size >= 0 && int64(len(out)) >= size {
			break
		}
		s = f.fat[s]
	}
	if size >= 0 {
		if int64(len(out)) < size {
			return nil, formatErr("a stream is shorter than its size")
		}
		out = out[:size]
	}
	return out, nil
}

// miniChain reads a stream kept in the mini stream.
func (f *cfb) miniChain(start uint32, size int64) ([]byte, error) {
	var out []byte
	for n, s := 0, start; s != endOfChain && int64(len(out)) < size; n++ {
		if n > len(f.miniFAT) || int(s) >= len(f.miniFAT) {
			return nil, formatErr("a chain of mini sectors is broken or loops")
		}
		off := int(s) * f.miniSize
		if off+f.miniSize > len(f.miniStream) {
			return nil, formatErr("mini sector %d is outside the mini stream", s)
		}
		out = append(out, f.miniStream[off:off+f.miniSize]...)
		s = f.miniFAT[s]
	}
	if int64(len(out)) < size {
		return nil, formatErr("a stream is shorter than its size")
	}
	return out[:size], nil
}

// stream returns the stream of that name.
func (f *cfb) stream(name string) ([]byte, bool, error) {
	for _, e := range f.dir[1:] {
		if e.typ != 2 || e.name != name {
			continue
		}
		if e.size > uint64(len(f.data))*64 {
			return nil, true, formatErr("the stream %s is larger than the file could hold", name)
		}
		if e.size < uint64(f.cutoff) {
			b, err := f.miniChain(e.start, int64(e.size))
			return b, true, err
		}
		b, err := f.chain(e.start, int64(e.size))
		return b, true, err
	}
	return nil, false, nil
}

// BIFF8 record types.
const (
	recBOF        = 0x0809
	recEOF        = 0x000A
	recBoundSheet = 0x0085
	recSST        = 0x00FC
	recContinue   = 0x003C
	recNumber     = 0x0203
	recRK         = 0x027E
	recMulRK      = 0x00BD
	recLabelSST   = 0x00FD
	recLabel      = 0x0204
	recFormula    = 0x0006
	recString     = 0x0207
	recBoolErr    = 0x0205
)

type record struct {
	typ  uint16
	off  int // offset of the record's header in the stream
	data []byte
}

func (w *Workbook) readXLS(data []byte) error {
	f, err := openCFB(data)
	if err != nil {
		return err
	}
	book, ok, err := f.stream("Workbook")
	if err != nil {
		return err
	}
	if !ok {
		if _, old, _ := f.stream("Book"); old {
			return formatErr("an Excel 5.0/95 workbook, which is not read: save it as .xlsx")
		}
		return formatErr("the .xls file has no Workbook stream")
	}
	le := binary.LittleEndian
	var recs []record
	for off := 0; off+4 <= len(book); {
		typ, n := le.Uint16(book[off:]), int(le.Uint16(book[off+2:]))
		if off+4+n > len(book) {
			return formatErr("a record at byte %d runs past the end of the Workbook stream", off)
		}
		recs = append(recs, record{typ: typ, off: off, data: book[off+4 : off+4+n]})
		off += 4 + n
	}
	if len(recs) == 0 || recs[0].typ != recBOF || len(recs[0].data) < 2 || le.Uint16(recs[0].data) != 0x0600 {
		return formatErr("not an Excel 97-2003 (BIFF8) workbook: save it as .xlsx")
	}
	type boundSheet struct {
		name string
		pos  int
	}
	var sheets []boundSheet
	var sst []string
	for i := 0; i < len(recs); i++ {
		r := recs[i]
		if r.typ == recEOF {
			break
		}
		switch r.typ {
		case recBoundSheet:
			if len(r.data) < 8 {
				return formatErr("a short BOUNDSHEET record")
			}
			rd := &biffReader{segs: [][]byte{r.data[6:]}}
			name, err := rd.shortString()
			if err != nil {
				return err
			}
			if r.data[5] == 0 { // a worksheet, not a chart or macro sheet
				sheets = append(sheets, boundSheet{name: name, pos: int(le.Uint32(r.data))})
			}
		case recSST:
			segs := [][]byte{r.data}
			for i+1 < len(recs) && recs[i+1].typ == recContinue {
				i++
				segs = append(segs, recs[i].data)
			}
			if len(r.data) < 8 {
				return formatErr("a short SST record")
			}
			rd := &biffReader{segs: segs, pos: 8}
			n := int(le.Uint32(r.data[4:]))
			for k := 0; k < n; k++ {
				s, err := rd.unicodeString()
				if err != nil {
					return err
				}
				sst = append(sst, s)
			}
		}
	}
	byOffset := make(map[int]int)
	for i, r := range recs {
		byOffset[r.off] = i
	}
	for _, bs := range sheets {
		i, ok := byOffset[bs.pos]
		if !ok || recs[i].typ != recBOF {
			return formatErr("the sheet %q does not start where the workbook says", bs.name)
		}
		sh := &Sheet{Name: bs.name}
		for i++; i < len(recs) && recs[i].typ != recEOF; i++ {
			if err := readCell(sh, recs, i, sst); err != nil {
				return formatErr("sheet %q: %v", bs.name, err)
			}
		}
		w.Sheets = append(w.Sheets, sh)
	}
	return nil
}

// readCell reads the cell of record i, if it is one.
func readCell(sh *Sheet, recs []record, i int, sst []string) error {
	le := binary.LittleEndian
	r := recs[i]
	d := r.data
	at := func() Ref { return Ref{Row: int(le.Uint16(d)), Col: int(le.Uint16(d[2:]))} }
	switch r.typ {
	case recNumber:
		if len(d) < 14 {
			return formatErr("a short NUMBER record")
		}
		sh.set(at(), Cell{Kind: Number, Num: math.Float64frombits(le.Uint64(d[6:]))})
	case recRK:
		if len(d) < 10 {
			return formatErr("a short RK record")
		}
		sh.set(at(), Cell{Kind: Number, Num: rk(le.Uint32(d[6:]))})
	case recMulRK:
		if len(d) < 6 {
			return formatErr("a short MULRK record")
		}
		row, col := int(le.Uint16(d)), int(le.Uint16(d[2:]))
		for off := 4; off+6 <= len(d)-2; off += 6 {
			sh.set(Ref{row, col}, Cell{Kind: Number, Num: rk(le.Uint32(d[off+2:]))})
			col++
		}
	case recLabelSST:
		if len(d) < 10 {
			return formatErr("a short LABELSST record")
		}
		k := int(le.Uint32(d[6:]))
		if k >= len(sst) {
			return formatErr("shared string %d out of range", k)
		}
		sh.set(at(), Cell{Kind: Text, Str: sst[k]})
	case recLabel:
		if len(d) < 9 {
			return formatErr("a short LABEL record")
		}
		s, err := (&biffReader{segs: [][]byte{d}, pos: 6}).unicodeString()
		if err != nil {
			return err
		}
		sh.set(at(), Cell{Kind: Text, Str: s})
	case recBoolErr:
		if len(d) < 8 {
			return formatErr("a short BOOLERR record")
		}
		if d[7] == 0 {
			sh.set(at(), Cell{Kind: Bool, Num: truth(d[6] != 0)})
		} else {
			sh.set(at(), Cell{Kind: Error, Str: errorCode(d[6])})
		}
	case recFormula:
		if len(d) < 14 {
			return formatErr("a short FORMULA record")
		}
		v := d[6:14]
		if v[6] != 0xFF || v[7] != 0xFF {
			sh.set(at(), Cell{Kind: Number, Num: math.Float64frombits(le.Uint64(v))})
			return nil
		}
		switch v[0] {
		case 0: // a string, in the STRING record that follows
			for j := i + 1; j < len(recs) && j <= i+4; j++ {
				if recs[j].typ == recString {
					s, err := (&biffReader{segs: [][]byte{recs[j].data}}).unicodeString()
					if err != nil {
						return err
					}
					sh.set(at(), Cell{Kind: Text, Str: s})
					break
				}
			}
		case 1:
			sh.set(at(), Cell{Kind: Bool, Num: truth(v[2] != 0)})
		case 2:
			sh.set(at(), Cell{Kind: Error, Str: errorCode(v[2])})
		}
	}
	return nil
}

// rk decodes a number stored in 30 bits: an integer or the high bits of
// a float64, either possibly divided by 100.
func rk(v uint32) float64 {
	var x float64
	if v&2 != 0 {
		x = float64(int32(v) >> 2)
	} else {
		x = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&1 != 0 {
		x /= 100
	}
	return x
}

func errorCode(c byte) string {
	switch c {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	}
	return "#N/A"
}

// biffReader reads the payload of a record and its CONTINUE records as
// one stream, where a string whose characters cross into a CONTINUE
// record starts that record with a new byte of flags.
type biffReader struct {
	segs [][]byte
	seg  int
	pos  int
}

func (r *biffReader) next() error {
	for r.seg < len(r.segs) && r.pos >= len(r.segs[r.seg]) {
		r.seg++
		r.pos = 0
	}
	if r.seg >= len(r.segs) {
		return formatErr("a string runs past the end of its record")
	}
	return nil
}

func (r *biffReader) byte() (byte, error) {
	if err := r.next(); err != nil {
		return 0, err
	}
	b := r.segs[r.seg][r.pos]
	r.pos++
	return b, nil
}

func (r *biffReader) uint(n int) (uint32, error) {
	var v uint32
	for i := 0; i < n; i++ {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= uint32(b) << (8 * i)
	}
	return v, nil
}

func (r *biffReader) skip(n int) error {
	for n > 0 {
		if err := r.next(); err != nil {
			return err
		}
		k := min(n, len(r.segs[r.seg])-r.pos)
		r.pos += k
		n -= k
	}
	return nil
}

// chars reads n characters, one or two bytes each by the flags; at the
// start of a CONTINUE record a new flags byte says which.
func (r *biffReader) chars(n int, high bool) (string, error) {
	u := make([]uint16, 0, n)
	for len(u) < n {
		if r.pos >= len(r.segs[r.seg]) {
			r.seg++
			r.pos = 0
			if r.seg >= len(r.segs) {
				return "", formatErr("a string runs past the end of its record")
			}
			f, err := r.byte()
			if err != nil {
				return "", err
			}
			high = f&1 != 0
			continue
		}
		if high {
			c, err := r.uint(2)
			if err != nil {
				return "", err
			}
			u = append(u, uint16(c))
		} else {
			c, err := r.byte()
			if err != nil {
				return "", err
			}
			u = append(u, uint16(c))
		}
	}
	return string(utf16.Decode(u)), nil
}

// unicodeString reads an XLUnicodeRichExtendedString: a 16-bit count,
// flags, the optional counts of formatting runs and extended data, the
// characters, and then the runs and data, skipped.
func (r *biffReader) unicodeString() (string, error) {
	if err := r.next(); err != nil {
		return "", err
	}
	n, err := r.uint(2)
	if err != nil {
		return "", err
	}
	return r.stringBody(int(n))
}

// shortString reads a string with an 8-bit count.
func (r *biffReader) shortString() (string, error) {
	n, err := r.uint(1)
	if err != nil {
		return "", err
	}
	return r.stringBody(int(n))
}

func (r *biffReader) stringBody(n int) (string, error) {
	flags, err := r.byte()
	if err != nil {
		return "", err
	}
	var runs, ext uint32
	if flags&0x08 != 0 {
		if runs, err = r.uint(2); err != nil {
			return "", err
		}
	}
	if flags&0x04 != 0 {
		if ext, err = r.uint(4); err != nil {
			return "", err
		}
	}
	s, err := r.chars(n, flags&1 != 0)
	if err != nil {
		return "", err
	}
	if err := r.skip(4*int(runs) + int(ext)); err != nil {
		return "", err
	}
	return s, nil
}
