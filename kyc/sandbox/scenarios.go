package sandbox

import (
	"sort"
	"strings"
)

// Scenario documents one cust_ref_no trigger. A request whose cust_ref_no
// starts with Trigger (ignoring case) gets Effect, so "SBX-504-0001" and
// "sbx-504-0002" both trigger sbx-504 while staying unique references.
// When two triggers share a prefix the longer one wins (sbx-503-once beats
// sbx-503).
type Scenario struct {
	Trigger string // cust_ref_no prefix, lowercase
	Status  int    // HTTP status the sandbox answers with (0: no answer at all)
	Effect  string // what the sandbox does
	Client  string // what a KYC Desk client reports, per DESIGN.md (kind, outcome, CLI exit code)
}

// Trigger names, exported so tests and tools do not repeat string literals.
const (
	Trigger401          = "sbx-401"
	Trigger404          = "sbx-404"
	TriggerQuota        = "sbx-quota"
	TriggerNotActivated = "sbx-not-activated"
	TriggerNotApproved  = "sbx-not-approved"
	TriggerError        = "sbx-error"
	Trigger500          = "sbx-500"
	Trigger503          = "sbx-503"
	Trigger503Once      = "sbx-503-once"
	Trigger504          = "sbx-504"
	TriggerSlow         = "sbx-slow"
	TriggerDrop         = "sbx-drop"
	TriggerHTML         = "sbx-html"
	TriggerTruncated    = "sbx-truncated"
	TriggerBareSuccess  = "sbx-bare-success"
	TriggerBig          = "sbx-big"
)

// Documented ERROR descriptions (identical for the three products), and the
// sandbox's own one for sbx-error.
const (
	DescNotActivated = "Product is not activated. Please Check Available Products in Manage Product Menu"
	DescQuota        = "Quota Exceeded"
	DescNotApproved  = "Product is not activated yet by Admin"
	DescInternal     = "Internal validation failure"
)

// Scenarios is the trigger table, the single source for the README table,
// the `kycdesk sandbox` banner and the tests.
var Scenarios = []Scenario{
	{Trigger401, 401, "HTTP 401 with a small JSON error, as for a rejected token", "unauthorized, rejected, exit 4"},
	{Trigger404, 404, "HTTP 404, as for a URL the gateway does not serve", "not_found, exit 5"},
	{TriggerQuota, 200, "ERROR envelope `" + DescQuota + "`", "quota_exceeded, rejected, exit 3"},
	{TriggerNotActivated, 200, "ERROR envelope `" + DescNotActivated + "`", "product_not_activated, rejected, exit 3"},
	{TriggerNotApproved, 200, "ERROR envelope `" + DescNotApproved + "`", "product_not_approved, rejected, exit 3"},
	{TriggerError, 200, "ERROR envelope `" + DescInternal + "` (an undocumented description)", "gateway_error, rejected, exit 3"},
	{Trigger500, 500, "HTTP 500 with a small JSON error", "server_error, unknown, exit 6"},
	{Trigger503, 503, "HTTP 503 with `Retry-After: 1`, every time", "unavailable, failed after the client's retries, exit 5"},
	{Trigger503Once, 503, "HTTP 503 with `Retry-After: 1` for the first request with that exact cust_ref_no, then the normal answer", "success after one safe retry (attempts 2), exit 0"},
	{Trigger504, 504, "HTTP 504 with a small JSON error", "gateway_timeout, unknown, exit 6"},
	{TriggerSlow, 200, "the normal answer after a long delay (default 90 s; the sandbox stops waiting if the client goes away)", "timeout, unknown, exit 6 (with the default 60 s timeout)"},
	{TriggerDrop, 0, "reads the request, then closes the connection without answering", "connection, unknown, exit 6"},
	{TriggerHTML, 200, "HTTP 200 with an HTML maintenance page (not billed)", "malformed_response, unknown, exit 6"},
	{TriggerTruncated, 200, "the normal answer (billed), its JSON body cut off mid-way", "malformed_response, unknown, exit 6"},
	{TriggerBareSuccess, 200, "the normal answer (billed) with `\"status\": success` as a bare word, as in the documentation's validation sample", "success (the client repairs this one documented defect), exit 0"},
	{TriggerBig, 200, "the normal answer (billed) padded to more than 1 MiB", "malformed_response, unknown, exit 6 (the client reads at most 1 MiB)"},
}

// byLength is Scenarios ordered longest trigger first, so prefix matching
// picks the most specific trigger.
var byLength = func() []Scenario {
	s := make([]Scenario, len(Scenarios))
	copy(s, Scenarios)
	sort.SliceStable(s, func(i, j int) bool { return len(s[i].Trigger) > len(s[j].Trigger) })
	return s
}()

// MatchScenario returns the scenario a cust_ref_no triggers, if any.
func MatchScenario(custRefNo string) (Scenario, bool) {
	ref := strings.ToLower(strings.TrimSpace(custRefNo))
	for _, s := range byLength {
		if strings.HasPrefix(ref, s.Trigger) {
			return s, true
		}
	}
	return Scenario{}, false
}
