// Package hq is the head office's side of KYC Desk: the PostgreSQL schema IT
// installs once (schema.sql, `kycdesk hq init`), the registration of counter
// logins, and every figure, list and action of `kycdesk report` and the
// Kantor pusat screen: summaries per outlet, counter, product and day, quota
// use, calls with an unknown outcome and their manual resolution, silent
// counters, the finance CSV export and the reconciliation of the vendor's
// invoice.
//
// Every report reads a rollup (kyc.daily_outlet, or kyc.daily_counter when
// counters are asked for), which kyc.ingest maintains in the same
// transaction as the calls it counts: a month's summary per outlet over 10
// million calls reads one row per day, outlet and product, not the calls.
//
// Every method takes a context and returns *hqdb.Error values (errors.Is
// with hqdb.ErrUnavailable, hqdb.ErrDenied, hqdb.ErrNotUnknown…).
package hq
