package history

import (
	"context"
	"testing"
)

// The History screen searches any part of a reference or trx_id, and counts exactly.
func TestSearchBySubstringAndCount(t *testing.T) {
	s := openTest(t, t.TempDir(), newMemKeys(), newClock())
	ctx := context.Background()
	for _, ref := range []string{"sbx-504-0001", "SBX-504-0002", "sbx-quota-1", "20261201090000000001", "a_b%c"} {
		track(t, s, validationCall(ref), okCompletion("T-"+ref))
	}
	cases := []struct {
		term string
		want int
	}{
		{"sbx-504", 2},   // a prefix, any case
		{"504-00", 2},    // the middle
		{"0001", 2},      // the end of a reference, and of its trx_id
		{"T-sbx-quo", 1}, // part of a trx_id
		{"_", 1},         // LIKE's wildcards are literal
		{"%", 1},
		{"nothing", 0},
	}
	for _, c := range cases {
		p, err := s.List(ctx, Filter{Search: c.term})
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.Count(ctx, Filter{Search: c.term})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Records) != c.want || n != c.want {
			t.Errorf("%q: listed %d, counted %d, want %d", c.term, len(p.Records), n, c.want)
		}
	}
	// Count is exact beyond a page.
	for i := 0; i < 30; i++ {
		track(t, s, validationCall("bulk"), okCompletion("B"))
	}
	if n, _ := s.Count(ctx, Filter{Ref: "bulk", Limit: 5}); n != 30 {
		t.Errorf("count %d", n)
	}
}
