package sandbox

import (
	"log/slog"
	"time"
)

// Defaults applied by New to zero Config fields, except Latency: a zero
// Latency means "answer at once", which is what tests want; the GUI and the
// standalone command use DefaultConfig for a realistic feel.
const (
	DefaultLatency   = 300 * time.Millisecond
	DefaultSlowDelay = 90 * time.Second
	// MaxRequestBytes bounds a request body; larger requests get 413.
	MaxRequestBytes = 10 << 20
)

// Config tunes a sandbox gateway. The zero value is valid: no latency,
// sbx-slow waits DefaultSlowDelay, DefaultDailyQuota per token, the
// built-in tokens, the real clock and no logging.
type Config struct {
	// Latency is the typical time a call takes. Each call waits a uniformly
	// jittered delay in [Latency/2, 3*Latency/2], and stops waiting if the
	// client goes away. Zero: no delay.
	Latency time.Duration
	// SlowDelay is how long an sbx-slow call waits before answering. Zero:
	// DefaultSlowDelay (90 s, longer than the client's default 60 s timeout).
	SlowDelay time.Duration
	// DailyQuota is the billable calls per token per Jakarta calendar day
	// for accounts that do not set their own. Zero: DefaultDailyQuota;
	// negative: unlimited.
	DailyQuota int
	// Tokens maps each accepted token to its account. Nil: DefaultTokens().
	// A non-nil map replaces the built-ins; copy DefaultTokens() and add to
	// it to keep them.
	Tokens map[string]Account
	// Now is the clock for quota days, trx_id and timestamp. Nil: time.Now.
	Now func() time.Time
	// IDStore is the file where trx_id and ref_id state is kept so that
	// every process sharing it hands out distinct ids, across restarts
	// (DefaultConfig: DefaultIDStore()). "": ids are unique within this
	// process only.
	IDStore string
	// Logger receives one line per request: method, path, status, duration
	// and cust_ref_no, never a token or image. Nil: no logging.
	Logger *slog.Logger
}

// DefaultConfig is the configuration of the GUI's built-in Sandbox profile
// and of `kycdesk sandbox`: realistic latency, everything else default.
func DefaultConfig() Config {
	return Config{Latency: DefaultLatency, IDStore: DefaultIDStore()}
}

func (c Config) withDefaults() Config {
	if c.Latency < 0 {
		c.Latency = 0
	}
	if c.SlowDelay <= 0 {
		c.SlowDelay = DefaultSlowDelay
	}
	if c.DailyQuota == 0 {
		c.DailyQuota = DefaultDailyQuota
	}
	if c.Tokens == nil {
		c.Tokens = DefaultTokens()
	} else {
		// Copy so later changes to the caller's map cannot race with
		// requests.
		m := make(map[string]Account, len(c.Tokens))
		for k, v := range c.Tokens {
			m[k] = v
		}
		c.Tokens = m
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
