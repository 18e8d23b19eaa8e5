package sandbox

import (
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// trxIDs hands out 18-digit transaction ids in the gateway's form:
// YYYYMMDDhhmmss (Jakarta time) followed by a 4-digit sequence, e.g.
// 202303291030019483. Ids are unique and increasing for the life of the
// server even if the clock stands still or goes backwards (an injected test
// clock, an NTP step): the sequence then borrows the next second.
type trxIDs struct {
	mu   sync.Mutex
	last time.Time // second of the last id issued
	seq  int
}

func (g *trxIDs) next(now time.Time) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	sec := now.In(jakarta).Truncate(time.Second)
	switch {
	case sec.After(g.last):
		g.last, g.seq = sec, 0
	default:
		g.seq++
		if g.seq > 9999 {
			g.last, g.seq = g.last.Add(time.Second), 0
		}
	}
	return g.last.Format("20060102150405") + fmt.Sprintf("%04d", g.seq)
}

// refIDFor derives the 10-digit ref_id from the transaction id, so the pair
// is stable in logs and tests without a second counter.
func refIDFor(trxID string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(trxID))
	return fmt.Sprintf("%010d", h.Sum64()%10_000_000_000)
}
