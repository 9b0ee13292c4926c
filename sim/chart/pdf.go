package chart

import (
	"errors"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgpdf"
)

// pdfCanvas is gonum/plot's PDF canvas drawing text as glyph outlines.
//
// Its own text fails in two ways (gonum/plot v0.17.0): every font it
// embeds is named font.z, so a document with a bold and a regular face
// embeds one font file for both, and bold text comes out regular (or the
// reverse); and it writes UTF-8 to a font encoded in code page 1252, so
// that "–" comes out as "â€“". Outlines look the same in every viewer and
// need neither; the price is that the text cannot be selected.
type pdfCanvas struct{ *vgpdf.Canvas }

// FillString fills the outlines of the glyphs of s, starting on the
// baseline at pt, spaced and kerned as font.Face.Width measures them.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Face == nil || f.Font.Size == 0 {
		return
	}
	var (
		buf   sfnt.Buffer
		upem  = f.Face.UnitsPerEm()
		ppem  = fixed.Int26_6(upem) // so that values are in font units
		scale = f.Font.Size / vg.Length(upem)
		path  vg.Path
		pen   fixed.Int26_6
		prev  sfnt.GlyphIndex
	)
	at := func(p fixed.Point26_6) vg.Point {
		return vg.Point{X: pt.X + vg.Length(pen+p.X)*scale, Y: pt.Y - vg.Length(p.Y)*scale}
	}
	for i, r := range s {
		idx, err := f.Face.GlyphIndex(&buf, r)
		if err != nil {
			continue
		}
		if i > 0 {
			if k, err := f.Face.Kern(&buf, prev, idx, ppem, 0); err == nil {
				pen += k
			} else if !errors.Is(err, sfnt.ErrNotFound) {
				continue
			}
		}
		prev = idx
		segs, err := f.Face.LoadGlyph(&buf, idx, ppem, nil)
		if err == nil {
			open := false
			for _, seg := range segs {
				switch seg.Op {
				case sfnt.SegmentOpMoveTo:
					if open {
						path.Close()
					}
					path.Move(at(seg.Args[0]))
					open = true
				case sfnt.SegmentOpLineTo:
					path.Line(at(seg.Args[0]))
				case sfnt.SegmentOpQuadTo:
					path.QuadTo(at(seg.Args[0]), at(seg.Args[1]))
				case sfnt.SegmentOpCubeTo:
					path.CubeTo(at(seg.Args[0]), at(seg.Args[1]), at(seg.Args[2]))
				}
			}
			if open {
				path.Close()
			}
		}
		if adv, err := f.Face.GlyphAdvance(&buf, idx, ppem, 0); err == nil {
			pen += adv
		}
	}
	if len(path) > 0 {
		c.Fill(path)
	}
}
