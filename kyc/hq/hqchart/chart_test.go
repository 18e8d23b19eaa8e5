package hqchart

import (
	"bytes"
	"errors"
	"image/png"
	"testing"

	"kycdesk/kyc/hq"
)

func countColor(t *testing.T, b []byte, want [3]uint8) (int, int, int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if uint8(cr>>8) == want[0] && uint8(cg>>8) == want[1] && uint8(cb>>8) == want[2] {
				n++
			}
		}
	}
	return r.Dx(), r.Dy(), n
}

func TestCallsPerDay(t *testing.T) {
	rows := []hq.SummaryRow{
		{Day: "2026-03-01", Counts: hq.Counts{Total: 120, Success: 100, Rejected: 10, Failed: 5, Unknown: 5}},
		{Day: "2026-03-02", Counts: hq.Counts{Total: 0}},
		{Day: "2026-03-03", Counts: hq.Counts{Total: 60, Success: 50, Unknown: 10}},
	}
	b, err := CallsPerDay(rows, English, Size{Width: 600, Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	w, h, green := countColor(t, b, [3]uint8{0x2e, 0x7d, 0x32})
	_, _, red := countColor(t, b, [3]uint8{0xc6, 0x28, 0x28})
	if w != 600 || h != 300 || green < 1000 || red < 100 || red > green {
		t.Fatalf("%dx%d, %d success pixels, %d unknown pixels", w, h, green, red)
	}
	if _, err := CallsPerDay(nil, English, DefaultSize); !errors.Is(err, ErrNoData) {
		t.Fatal(err)
	}
	if _, err := CallsPerDay([]hq.SummaryRow{{Outlet: "X"}}, English, DefaultSize); err == nil {
		t.Fatal("rows without days accepted")
	}
}

func TestQuotaUse(t *testing.T) {
	var days []hq.QuotaDay
	for i, d := range []string{"2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"} {
		days = append(days, hq.QuotaDay{Day: d, Billable: int64(100 * (i + 1)), MaybeBilled: 20, Quota: 500})
	}
	b, err := QuotaUse(days, English, DefaultSize)
	if err != nil {
		t.Fatal(err)
	}
	w, h, black := countColor(t, b, [3]uint8{0, 0, 0})
	_, _, green := countColor(t, b, [3]uint8{0x2e, 0x7d, 0x32})
	if w != DefaultSize.Width || h != DefaultSize.Height || green < 1000 || black < 300 {
		t.Fatalf("%dx%d: %d billable pixels, %d black (quota line, axes, text)", w, h, green, black)
	}
}
