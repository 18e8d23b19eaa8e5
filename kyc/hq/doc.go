// Package hq is the head office's side of KYC Desk: the PostgreSQL schema IT
// installs once (schema.sql, `kycdesk hq init`), the registration of counter
// logins, and every figure, list and action of `kycdesk report` and the
// Kantor pusat screen: summaries per outlet, counter, product and day, quota
// use, calls with an unknown outcome and their manual resolution, silent
// counters, the finance CSV export and the reconciliation of the vendor's
// invoice.
//
// Every report reads the rollup kyc.daily, which kyc.ingest maintains in the
// same transaction as the calls it counts, so a month's summary over 10
// million calls reads a few hundred thousand rollup rows, not the calls.
//
// Every method takes a context and returns *hqdb.Error values (errors.Is
// with hqdb.ErrUnavailable, hqdb.ErrDenied, hqdb.ErrNotUnknown…).
package hq
