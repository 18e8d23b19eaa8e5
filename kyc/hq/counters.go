package hq

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"kycdesk/kyc/hqdb"
)

// Counter is one registered counter PC and its last contact.
type Counter struct {
	Outlet      string     `json:"outlet"`
	Counter     string     `json:"counter"`
	Login       string     `json:"login"`
	Registered  time.Time  `json:"registered"`
	LastSeen    *time.Time `json:"last_seen,omitempty"`     // last sync or heartbeat (database clock)
	LastCall    *time.Time `json:"last_call,omitempty"`     // newest call it reported
	AppVersion  string     `json:"app_version,omitempty"`   // as last reported
	ClockSkewMS int64      `json:"clock_skew_ms,omitempty"` // database clock minus the counter's, last batch
}

// SilentFor is how long the counter has not been in touch (since
// registration if never).
func (c Counter) SilentFor(now time.Time) time.Duration {
	if c.LastSeen == nil {
		return now.Sub(c.Registered)
	}
	return now.Sub(*c.LastSeen)
}

const counterCols = `outlet_id, counter_id, login::text, created_at, last_seen_at, last_call_at, app_version, clock_skew_ms`

func scanCounter(r pgx.CollectableRow) (Counter, error) {
	var c Counter
	err := r.Scan(&c.Outlet, &c.Counter, &c.Login, &c.Registered, &c.LastSeen, &c.LastCall, &c.AppVersion, &c.ClockSkewMS)
	return c, err
}

// Counters lists every registered counter, by outlet and counter.
func (c *Client) Counters(ctx context.Context) ([]Counter, error) {
	rows, err := c.pool.Query(ctx, `SELECT `+counterCols+` FROM kyc.counters ORDER BY outlet_id, counter_id`)
	if err != nil {
		return nil, hqdb.Classify("counters", err)
	}
	out, err := pgx.CollectRows(rows, scanCounter)
	return out, hqdb.Classify("counters", err)
}

// SilentCounters lists the counters not in touch for longer than quiet
// (0: one day), longest silent first. A running KYC Desk checks in every
// few minutes even without calls, so silence means the PC, the app or its
// network is down.
func (c *Client) SilentCounters(ctx context.Context, quiet time.Duration) ([]Counter, error) {
	if quiet <= 0 {
		quiet = 24 * time.Hour
	}
	rows, err := c.pool.Query(ctx, `SELECT `+counterCols+` FROM kyc.counters
		WHERE coalesce(last_seen_at, created_at) < now() - $1::interval
		ORDER BY coalesce(last_seen_at, created_at), outlet_id, counter_id`, quiet)
	if err != nil {
		return nil, hqdb.Classify("counters", err)
	}
	out, err := pgx.CollectRows(rows, scanCounter)
	return out, hqdb.Classify("counters", err)
}
