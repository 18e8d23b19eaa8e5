package history

import (
	"context"
	"fmt"
	"testing"
	"time"
)

const benchRows = 100_000

// seed writes n completed validation rows (sealed like real ones) in one
// transaction, spread over the last 60 days.
func seed(b *testing.B, s *Store, n int) {
	b.Helper()
	ctx := context.Background()
	ks, err := s.currentKeys()
	if err != nil {
		b.Fatal(err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO calls (id, created_at, completed_at, product, cust_ref_no, profile, outcome,
		http_status, attempts, trx_id, ref_id, gateway_ts, duration_ms, nik_masked, key_gen, nik_hash, nik_enc, input_enc, result_enc)
		VALUES (?, ?, ?, 'id-validation', ?, 'Prod', 'success', 200, 1, ?, ?, ?, 850, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	start := s.now().Add(-60 * 24 * time.Hour).UnixMilli()
	step := int64(60*24*time.Hour/time.Millisecond) / int64(n)
	in := []byte(`{"name":"SITI RAHAYU WIDODO","birth_place":"TANGERANG","birth_date":"25-01-1990","address":"JL MELATI NO 7"}`)
	res := []byte(`{"nik":"true","full_name":"true","birth_date":"true","birth_place":"true","address":"true","selfie_photo":"10"}`)
	for i := 1; i <= n; i++ {
		id := int64(i)
		nik := fmt.Sprintf("3671%012d", i)
		ne, _ := ks.seal(row{id: id}, "nik", []byte(nik))
		ie, _ := ks.seal(row{id: id}, "input", in)
		re, _ := ks.seal(row{id: id}, "result", res)
		ts := start + int64(i)*step
		if _, err := stmt.ExecContext(ctx, id, ts, ts+850, fmt.Sprintf("REF-%07d", i), fmt.Sprintf("TRX-%07d", i),
			fmt.Sprintf("RID-%07d", i), ts, MaskNIK(nik), ks.gen, ks.blindIndex(nik), ne, ie, re); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := s.checkpoint(ctx); err != nil {
		b.Fatal(err)
	}
}

func seededDir(b *testing.B) (string, *memKeys) {
	b.Helper()
	dir := b.TempDir()
	keys := newMemKeys()
	s, err := Open(context.Background(), Options{Dir: dir, Keys: keys})
	if err != nil {
		b.Fatal(err)
	}
	seed(b, s, benchRows)
	s.Close()
	return dir, keys
}

// BenchmarkOpenFirstPage: open a 100,000-row history (migrations check,
// keys, recovery, retention) and read the newest page of 50. Target ≤ 50 ms.
func BenchmarkOpenFirstPage(b *testing.B) {
	dir, keys := seededDir(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(ctx, Options{Dir: dir, Keys: keys})
		if err != nil {
			b.Fatal(err)
		}
		p, err := s.List(ctx, Filter{Limit: DefaultPageSize})
		if err != nil || len(p.Records) != DefaultPageSize {
			b.Fatal(len(p.Records), err)
		}
		s.Close()
	}
}

// BenchmarkLookupByRef: find one call by cust_ref_no among 100,000, with its
// personal fields opened. Target ≤ 5 ms.
func BenchmarkLookupByRef(b *testing.B) {
	dir, keys := seededDir(b)
	ctx := context.Background()
	s, err := Open(ctx, Options{Dir: dir, Keys: keys})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ref := fmt.Sprintf("REF-%07d", 1+(i*7919)%benchRows)
		recs, err := s.ByRef(ctx, ref, true)
		if err != nil || len(recs) != 1 || recs[0].Personal.NIK == "" {
			b.Fatal(recs, err)
		}
	}
}

// BenchmarkListDeepPageByNIK: a NIK search (blind index) among 100,000.
func BenchmarkListByNIK(b *testing.B) {
	dir, keys := seededDir(b)
	ctx := context.Background()
	s, err := Open(ctx, Options{Dir: dir, Keys: keys})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		nik := fmt.Sprintf("3671%012d", 1+(i*7919)%benchRows)
		p, err := s.List(ctx, Filter{NIK: nik})
		if err != nil || len(p.Records) != 1 {
			b.Fatal(len(p.Records), err)
		}
	}
}

// BenchmarkQuickCheck: PRAGMA quick_check over a 100,000-row history (the
// window runs it in the background after start; `kycdesk history --check` runs
// the full integrity_check).
func BenchmarkQuickCheck(b *testing.B) {
	dir, keys := seededDir(b)
	s, err := Open(context.Background(), Options{Dir: dir, Keys: keys})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if found, err := s.Check(context.Background(), true); err != nil || len(found) > 0 {
			b.Fatal(found, err)
		}
	}
}
