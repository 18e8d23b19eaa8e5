package jpegscale

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func loadEntry(t *testing.T, p string) ([]byte, uint8) {
	b, _ := os.ReadFile(p)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	ds := strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")")
	d, err := strconv.Unquote(ds)
	if err != nil {
		t.Fatal(p, err)
	}
	ss := strings.TrimSuffix(strings.TrimPrefix(lines[2], "byte("), ")")
	var s uint8
	if strings.HasPrefix(ss, "'") {
		r, _, _, _ := strconv.UnquoteChar(ss[1:len(ss)-1], '\'')
		s = uint8(r)
	} else {
		n, _ := strconv.Atoi(ss)
		s = uint8(n)
	}
	return []byte(d), s
}

func TestZZMinimizeCost(t *testing.T) {
	dir := os.Getenv("CORPUS")
	names, _ := filepath.Glob(dir + "/*")
	for _, n := range names {
		data, s := loadEntry(t, n)
		if len(data) > fuzzMaxInput {
			continue
		}
		var ds []time.Duration
		var worst []byte
		var total time.Duration
		for i := 0; i < len(data); i++ {
			c := append(append([]byte(nil), data[:i]...), data[i+1:]...)
			t0 := time.Now()
			t.Run("x", func(t *testing.T) { fuzzDecodeOne(t, c, s) })
			d := time.Since(t0)
			total += d
			if len(ds) == 0 || d > ds[len(ds)-1] {
				worst = c
			}
			ds = append(ds, d)
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		}
		fmt.Printf("%s len %d s %d median %v max %v total %v\n", filepath.Base(n), len(data), s, ds[len(ds)/2], ds[len(ds)-1], total)
		_ = worst
	}
}
