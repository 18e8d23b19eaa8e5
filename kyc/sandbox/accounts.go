package sandbox

import (
	"sync"
	"time"
)

// Product is one of the gateway's three products, named by its URL path
// segment.
type Product string

// The three products, named as in their URL paths.
const (
	Liveness   Product = "passive-liveness"
	Recognize  Product = "id-recognize"
	Validation Product = "id-validation"
)

// Products lists every product, in the order the API documentation does.
var Products = []Product{Liveness, Recognize, Validation}

// Path returns the product's URL path, e.g. /api/passive-liveness.
func (p Product) Path() string { return "/api/" + string(p) }

// Account is the merchant state behind one token.
type Account struct {
	// DailyQuota is the number of billable calls per calendar day (Asia/
	// Jakarta). Zero means Config.DailyQuota; negative means unlimited.
	DailyQuota int
	// NotActivated lists products the merchant never subscribed to: calls
	// get "Product is not activated. Please Check Available Products in
	// Manage Product Menu".
	NotActivated []Product
	// NotApproved lists products requested but not yet approved by the
	// Finance Administrator: calls get "Product is not activated yet by
	// Admin".
	NotApproved []Product
}

func (a Account) has(list []Product, p Product) bool {
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}

// DefaultToken is the token the sandbox accepts out of the box with every
// product active and the default daily quota.
const DefaultToken = "sandbox-demo-token"

// Built-in tokens that show each account state without configuration.
const (
	TokenNotActivated = "sandbox-not-activated" // all three products not activated
	TokenNotApproved  = "sandbox-not-approved"  // all three products awaiting approval
	TokenQuota3       = "sandbox-quota-3"       // a quota of 3 billable calls per day
	TokenNoValidation = "sandbox-no-validation" // liveness and OCR active, id-validation not activated
)

// TokenInfo documents one built-in token.
type TokenInfo struct {
	Token  string
	Effect string
}

// BuiltinTokenDocs documents the tokens of DefaultTokens, for the README
// and the `kycdesk sandbox` banner. A test keeps it in sync.
var BuiltinTokenDocs = []TokenInfo{
	{DefaultToken, "every product active, default daily quota (500 billable calls/day)"},
	{TokenNotActivated, "every call: ERROR `Product is not activated. Please Check Available Products in Manage Product Menu`"},
	{TokenNotApproved, "every call: ERROR `Product is not activated yet by Admin`"},
	{TokenQuota3, "quota of 3 billable calls per day (Asia/Jakarta), then ERROR `Quota Exceeded`"},
	{TokenNoValidation, "liveness and OCR work; id-validation is not activated"},
}

// DefaultTokens returns the built-in token table used when Config.Tokens is
// nil. Callers that want extra tokens copy it and add their own.
func DefaultTokens() map[string]Account {
	return map[string]Account{
		DefaultToken:      {},
		TokenNotActivated: {NotActivated: Products},
		TokenNotApproved:  {NotApproved: Products},
		TokenQuota3:       {DailyQuota: 3},
		TokenNoValidation: {NotActivated: []Product{Validation}},
	}
}

// DefaultDailyQuota is the per-token quota when neither the Account nor the
// Config sets one.
const DefaultDailyQuota = 500

// jakarta is Western Indonesia Time. Indonesia has no daylight saving, so a
// fixed zone is exact and does not depend on the OS time zone database
// (absent on many Windows machines).
var jakarta = time.FixedZone("WIB", 7*60*60)

// ledger counts billable calls per token per Jakarta calendar day.
type ledger struct {
	mu   sync.Mutex
	used map[string]dayCount
}

type dayCount struct {
	day string // YYYY-MM-DD in Jakarta
	n   int
}

func dayOf(t time.Time) string { return t.In(jakarta).Format(time.DateOnly) }

// reserve takes one unit of the token's quota for today, or reports false
// when the quota is spent. Reserving before processing (rather than counting
// afterwards) keeps concurrent calls from overspending; a call that turns out
// not to be billable gives its unit back with release.
func (l *ledger) reserve(token string, quota int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := dayOf(now)
	c := l.used[token]
	if c.day != d {
		c = dayCount{day: d}
	}
	if quota >= 0 && c.n >= quota {
		l.used[token] = c
		return false
	}
	c.n++
	l.used[token] = c
	return true
}

// release returns a unit taken by reserve on the same day. A call that
// straddles midnight keeps the new day's count untouched.
func (l *ledger) release(token string, reservedAt time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.used[token]
	if c.day == dayOf(reservedAt) && c.n > 0 {
		c.n--
		l.used[token] = c
	}
}

func (l *ledger) usage(token string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.used[token]
	if c.day != dayOf(now) {
		return 0
	}
	return c.n
}
