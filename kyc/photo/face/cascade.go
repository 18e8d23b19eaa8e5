// Package face finds frontal faces in a grey image with an LBP boosted cascade, evaluated in pure
// Go (no cgo, no OpenCV at run time).
//
// The embedded model is lbpcascade_frontalface_improved.xml from OpenCV's data files, trained by
// Puttemans Steven, Can Ergun and Toon Goedemé (KU Leuven, EAVISE; VISAPP 2017), distributed under
// the BSD-style licence kept verbatim in the file's header (redistribution must retain that notice).
// The evaluator below follows OpenCV's semantics for this file format (LBP features over a 3×3 grid
// of blocks, categorical stumps with 256-bit subsets, stage thresholds, groupRectangles) but is
// written from scratch for this project.
package face

import (
	_ "embed"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

//go:embed lbpcascade_frontalface_improved.xml
var modelXML []byte

// thresholdEps matches OpenCV's loader, which lowers every stage threshold by 1e-5 so that float
// rounding never rejects a window the trainer accepted.
const thresholdEps = 1e-5

type weak struct {
	feature int
	subset  [8]uint32 // bit c set → leaf[0] for LBP code c
	leaf    [2]float32
}

type stage struct {
	threshold float32
	weak      []weak
	// bestRest[i] is the largest sum the weak classifiers after i can still add: once
	// sum + bestRest[i] < threshold the window is rejected without evaluating them (exact).
	bestRest []float32
}

type lbpRect struct{ x, y, w, h int }

// Cascade is a parsed LBP cascade; it is immutable and safe for concurrent use.
type Cascade struct {
	width, height int
	stages        []stage
	features      []lbpRect
}

// xmlCascade mirrors the OpenCV "new format" cascade XML.
type xmlCascade struct {
	Cascade struct {
		StageType   string `xml:"stageType"`
		FeatureType string `xml:"featureType"`
		Height      int    `xml:"height"`
		Width       int    `xml:"width"`
		Stages      struct {
			Stage []struct {
				Threshold float64 `xml:"stageThreshold"`
				Weak      struct {
					Items []struct {
						Nodes  string `xml:"internalNodes"`
						Leaves string `xml:"leafValues"`
					} `xml:"_"`
				} `xml:"weakClassifiers"`
			} `xml:"_"`
		} `xml:"stages"`
		Features struct {
			Items []struct {
				Rect string `xml:"rect"`
			} `xml:"_"`
		} `xml:"features"`
	} `xml:"cascade"`
}

// Parse reads an OpenCV LBP cascade (BOOST stages, LBP features, depth-1 categorical trees).
func Parse(data []byte) (*Cascade, error) {
	var x xmlCascade
	if err := xml.Unmarshal(data, &x); err != nil {
		return nil, fmt.Errorf("face: cascade XML: %w", err)
	}
	xc := x.Cascade
	if xc.StageType != "BOOST" || xc.FeatureType != "LBP" {
		return nil, fmt.Errorf("face: unsupported cascade %s/%s (want BOOST/LBP)", xc.StageType, xc.FeatureType)
	}
	if xc.Width <= 0 || xc.Height <= 0 || len(xc.Stages.Stage) == 0 {
		return nil, errors.New("face: cascade has no window size or no stages")
	}
	c := &Cascade{width: xc.Width, height: xc.Height}
	for _, f := range xc.Features.Items {
		v, err := ints(f.Rect, 4)
		if err != nil {
			return nil, fmt.Errorf("face: feature rect: %w", err)
		}
		r := lbpRect{int(v[0]), int(v[1]), int(v[2]), int(v[3])}
		if r.x < 0 || r.y < 0 || r.w <= 0 || r.h <= 0 || r.x+3*r.w > c.width || r.y+3*r.h > c.height {
			return nil, fmt.Errorf("face: feature %v outside the %dx%d window", r, c.width, c.height)
		}
		c.features = append(c.features, r)
	}
	for si, s := range xc.Stages.Stage {
		st := stage{threshold: float32(s.Threshold - thresholdEps)}
		for _, w := range s.Weak.Items {
			// "left right featureIdx subset[8]": a stump (left = 0, right = -1) on one feature.
			v, err := ints(w.Nodes, 11)
			if err != nil {
				return nil, fmt.Errorf("face: stage %d node: %w", si, err)
			}
			if v[0] != 0 || v[1] != -1 {
				return nil, fmt.Errorf("face: stage %d: only depth-1 trees are supported", si)
			}
			fi := int(v[2])
			if fi < 0 || fi >= len(c.features) {
				return nil, fmt.Errorf("face: stage %d: feature index %d out of range", si, fi)
			}
			l := strings.Fields(w.Leaves)
			if len(l) != 2 {
				return nil, fmt.Errorf("face: stage %d: want 2 leaf values", si)
			}
			var wk weak
			wk.feature = fi
			for i := 0; i < 8; i++ {
				wk.subset[i] = uint32(int32(v[3+i]))
			}
			for i := 0; i < 2; i++ {
				f, err := strconv.ParseFloat(l[i], 64)
				if err != nil {
					return nil, fmt.Errorf("face: stage %d leaf: %w", si, err)
				}
				wk.leaf[i] = float32(f)
			}
			st.weak = append(st.weak, wk)
		}
		st.bestRest = make([]float32, len(st.weak))
		var rest float32
		for i := len(st.weak) - 1; i >= 0; i-- {
			st.bestRest[i] = rest
			rest += max(st.weak[i].leaf[0], st.weak[i].leaf[1])
		}
		c.stages = append(c.stages, st)
	}
	return c, nil
}

func ints(s string, n int) ([]int64, error) {
	f := strings.Fields(s)
	if len(f) != n {
		return nil, fmt.Errorf("want %d integers, got %d", n, len(f))
	}
	out := make([]int64, n)
	for i, t := range f {
		v, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

var (
	defaultOnce    sync.Once
	defaultCascade *Cascade
	defaultErr     error
)

// Default returns the embedded frontal-face cascade, parsed once.
func Default() (*Cascade, error) {
	defaultOnce.Do(func() { defaultCascade, defaultErr = Parse(modelXML) })
	return defaultCascade, defaultErr
}

// WindowSize is the cascade's base detection window: the smallest face it can find.
func (c *Cascade) WindowSize() (w, h int) { return c.width, c.height }
