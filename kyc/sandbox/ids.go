package sandbox

import (
	"fmt"
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

// nextIDs hands out a trx_id and a ref_id. With an id store (Config.IDStore)
// they are unique across every process sharing it and across restarts:
// two `kycdesk validate --server sandbox` in the same second get different
// ids. If the store cannot be used the ids are unique within this process,
// and the failure is logged.
func (s *Server) nextIDs(now time.Time) (trx, ref string) {
	s.storeOnce.Do(func() {
		if s.cfg.IDStore == "" {
			return
		}
		st, err := openIDStore(s.cfg.IDStore)
		if err != nil {
			s.logStoreErr(err)
			return
		}
		s.store = st
	})
	sec := now.In(jakarta).Truncate(time.Second)
	if s.store != nil {
		last, seq, n, err := s.store.next(sec.Unix())
		if err == nil {
			return time.Unix(last, 0).In(jakarta).Format("20060102150405") + fmt.Sprintf("%04d", seq), refIDFromCounter(n)
		}
		s.logStoreErr(err)
	}
	trx = s.ids.next(now)
	s.ids.mu.Lock()
	s.refN++
	n := s.refN
	s.ids.mu.Unlock()
	// Offset by the trx_id's time so a restarted process does not start at
	// the same ref_id.
	return trx, refIDFromCounter(sec.Unix()*10_000 + n)
}

func (s *Server) logStoreErr(err error) {
	if s.cfg.Logger != nil {
		s.cfg.Logger.Warn("sandbox: id store unavailable, ids are unique in this process only", "err", err)
	}
}
