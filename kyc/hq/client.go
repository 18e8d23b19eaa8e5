package hq

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"kycdesk/kyc/hqdb"
)

// Client reads the head office database (and, with a kyc_hq_write login,
// resolves calls and imports invoices). It is safe for concurrent use.
type Client struct {
	pool *pgxpool.Pool
}

// Open connects to the head office database as t (a kyc_hq_read or
// kyc_hq_write login) and checks that the schema is there.
func Open(ctx context.Context, t hqdb.Target) (*Client, error) {
	cc, err := t.ConnConfig()
	if err != nil {
		return nil, err
	}
	pc, err := pgxpool.ParseConfig("")
	if err != nil {
		return nil, hqdb.Classify("connect", err)
	}
	pc.ConnConfig = cc
	pc.MaxConns = 4
	pc.MaxConnIdleTime = 5 * time.Minute
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, hqdb.Classify("connect", err)
	}
	c := &Client{pool: pool}
	if _, err := c.Settings(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return c, nil
}

// FromPool wraps an existing pool (tests, tools that manage their own).
func FromPool(p *pgxpool.Pool) *Client { return &Client{pool: p} }

// Close releases the connections.
func (c *Client) Close() { c.pool.Close() }

// Settings are the head office's settings.
type Settings struct {
	// Location is the time zone whose days reports count (Asia/Jakarta).
	Location *time.Location
	// DailyQuota is the token's daily quota of billable calls (0: not set).
	DailyQuota int64
	// SchemaVersion of the kyc schema.
	SchemaVersion int
}

// scope reads the settings (the calendar's time zone, the quota) and turns the filter into
// a WHERE clause with its arguments: what every report starts with.
func (c *Client) scope(ctx context.Context, f Filter) (st Settings, where string, args []any, err error) {
	if st, err = c.Settings(ctx); err != nil {
		return st, "", nil, err
	}
	where, err = f.where(st.Location, &args)
	return st, where, args, err
}

// Settings reads the settings.
func (c *Client) Settings(ctx context.Context) (Settings, error) {
	rows, err := c.pool.Query(ctx, `SELECT key, value FROM kyc.settings`)
	if err != nil {
		return Settings{}, hqdb.Classify("settings", err)
	}
	m, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var kv [2]string
		err := r.Scan(&kv[0], &kv[1])
		return kv, err
	})
	if err != nil {
		return Settings{}, hqdb.Classify("settings", err)
	}
	s := Settings{Location: time.UTC}
	for _, kv := range m {
		switch kv[0] {
		case "timezone":
			if loc, err := time.LoadLocation(kv[1]); err == nil {
				s.Location = loc
			}
		case "daily_quota":
			s.DailyQuota, _ = strconv.ParseInt(kv[1], 10, 64)
		case "schema_version":
			s.SchemaVersion, _ = strconv.Atoi(kv[1])
		}
	}
	return s, nil
}

// SetDailyQuota records the token's daily quota (needs kyc_hq_write).
func (c *Client) SetDailyQuota(ctx context.Context, quota int64) error {
	if quota < 0 {
		return hqdb.NewError(hqdb.CodeInvalid, "settings", errors.New("quota must not be negative"))
	}
	_, err := c.pool.Exec(ctx, `UPDATE kyc.settings SET value = $1 WHERE key = 'daily_quota'`, strconv.FormatInt(quota, 10))
	return hqdb.Classify("settings", err)
}
