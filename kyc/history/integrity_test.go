package history

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// openV1 creates a history at schema version 1 (as released before ids were
// made unique) by hiding the later migrations.
func openV1(t *testing.T, dir string, keys KeySource, c *clock) *Store {
	t.Helper()
	saved := migrations
	migrations = migrations[:2]
	defer func() { migrations = saved }()
	s, err := Open(context.Background(), Options{Dir: dir, Keys: keys, Now: c.Now, StoreImages: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestMigrationKeepsRowsAndStopsIDReuse: a version 1 history whose newest rows
// were erased is migrated: every row, sealed value and photo survives, and the
// next call gets a fresh id, not the erased one.
func TestMigrationKeepsRowsAndStopsIDReuse(t *testing.T) {
	ctx := context.Background()
	dir, keys, c := t.TempDir(), newMemKeys(), newClock()
	v1 := openV1(t, dir, keys, c)
	ks, err := v1.currentKeys()
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, ref := range []string{"A", "B", "C"} {
		// A row as version 1 wrote it: values bound to the row id.
		res, err := v1.db.Exec(`INSERT INTO calls (created_at, product, cust_ref_no, profile, outcome, nik_masked, key_gen)
			VALUES (?, 'id-validation', ?, 'Prod', 'success', ?, ?)`, c.Now().UnixMilli(), ref, MaskNIK(testNIK), ks.gen)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		nikEnc, _ := ks.seal(row{id: id}, "nik", []byte(testNIK))
		img, _ := ks.seal(row{id: id}, "image/selfie", []byte("jpeg "+ref))
		if _, err := v1.db.Exec(`UPDATE calls SET nik_enc = ?, nik_hash = ? WHERE id = ?`, nikEnc, ks.blindIndex(testNIK), id); err != nil {
			t.Fatal(err)
		}
		if _, err := v1.db.Exec(`INSERT INTO images VALUES (?, 'selfie', ?, ?, ?)`, id, ks.gen, img, c.Now().Add(time.Hour).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// Erase the newest row directly (version 1 had no row_uid column).
	if _, err := v1.db.Exec(`DELETE FROM calls WHERE id = ?`, ids[2]); err != nil {
		t.Fatal(err)
	}
	v1.Close()

	s := openTest(t, dir, keys, c, func(o *Options) { o.StoreImages = true })
	var v int
	_ = s.db.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&v)
	if v != SchemaVersion() || v < 2 {
		t.Fatalf("schema %d", v)
	}
	for i, ref := range []string{"A", "B"} {
		r, err := s.Get(ctx, ids[i], true)
		if err != nil || r.CustRefNo != ref || r.Personal.NIK != testNIK || len(r.Personal.Unreadable) > 0 {
			t.Fatalf("row %s after migration: %+v %+v %v", ref, r, r.Personal, err)
		}
		img, err := s.Image(ctx, ids[i], "selfie")
		if err != nil || string(img) != "jpeg "+ref {
			t.Fatalf("photo of %s after migration: %q %v", ref, img, err)
		}
	}
	// Version 1 freed the erased id; AUTOINCREMENT must not hand out anything
	// at or below the highest id the migration saw.
	if _, err := s.EraseNIK(ctx, testNIK); err != nil {
		t.Fatal(err)
	}
	id := track(t, s, validationCall("D"), okCompletion("T-D"))
	if id <= ids[1] {
		t.Fatalf("new id %d reuses an id (old ids %v)", id, ids)
	}
	var fk int
	_ = s.db.QueryRow(`PRAGMA foreign_key_check`).Scan(&fk)
	if found, err := s.Check(ctx, false); err != nil || len(found) > 0 {
		t.Fatalf("integrity after migration: %v %v", found, err)
	}
}

// TestIDsNeverReused: erasing or purging the newest rows never frees their ids,
// and a value sealed for one row never opens in another.
func TestIDsNeverReused(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, t.TempDir(), newMemKeys(), c)
	a := track(t, s, validationCall("A"), okCompletion("1"))
	b := track(t, s, validationCall("B"), okCompletion("2"))
	var sealedNIK []byte
	_ = s.db.QueryRow(`SELECT nik_enc FROM calls WHERE id = ?`, b).Scan(&sealedNIK)
	if n, err := s.EraseNIK(ctx, testNIK); err != nil || n != 2 {
		t.Fatalf("erase = %d %v", n, err)
	}
	other := Call{Product: "id-validation", CustRefNo: "C", Profile: "Prod", NIK: "3171014101900001"}
	cid := track(t, s, other, okCompletion("3"))
	if cid <= b || cid == a {
		t.Fatalf("id %d reused (erased %d, %d)", cid, a, b)
	}
	// Even planted in the new row, the old row's value does not open.
	if _, err := s.db.Exec(`UPDATE calls SET nik_enc = ? WHERE id = ?`, sealedNIK, cid); err != nil {
		t.Fatal(err)
	}
	r, _ := s.Get(ctx, cid, true)
	if r.Personal.NIK != "" || !errors.Is(r.Personal.Unreadable["nik"], ErrDecrypt) {
		t.Fatalf("a value moved between rows opened: %+v", r.Personal)
	}
}

func TestConsentIsRecordedAndReadBack(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, t.TempDir(), newMemKeys(), c)
	at := time.Date(2026, 3, 1, 8, 59, 0, 0, time.UTC)
	text := "Nasabah telah menyetujui pemrosesan data pribadinya."
	call := validationCall("CONSENT")
	call.Consent = Consent{At: at, Version: 3, Text: text, User: "kasir1"}
	id := track(t, s, call, okCompletion("T"))
	track(t, s, call, okCompletion("T2")) // the same text again: stored once
	r, err := s.Get(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	want := Consent{At: at, Version: 3, Text: text, TextSHA: ConsentTextSHA(text), User: "kasir1"}
	if !r.Consent.At.Equal(at) || r.Consent.Version != 3 || r.Consent.Text != text || r.Consent.TextSHA != want.TextSHA || r.Consent.User != "kasir1" {
		t.Fatalf("consent = %+v, want %+v", r.Consent, want)
	}
	var texts int
	_ = s.db.QueryRow(`SELECT count(*) FROM consent_texts`).Scan(&texts)
	if texts != 1 {
		t.Fatalf("%d consent texts stored", texts)
	}
	none := track(t, s, validationCall("NONE"), okCompletion("T3"))
	if r, _ := s.Get(ctx, none, false); r.Consent.Given() {
		t.Fatalf("consent invented: %+v", r.Consent)
	}
	var buf bytes.Buffer
	if _, err := s.Export(ctx, &buf, ExportOptions{Format: FormatJSON, Filter: Filter{Ref: "CONSENT"}, Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"consent_at":"2026-03-01T08:59:00Z"`) || !strings.Contains(buf.String(), `"consent_user":"kasir1"`) ||
		!strings.Contains(buf.String(), `"consent_version":3`) {
		t.Fatalf("export: %s", buf.String())
	}
}

func TestKeptImagesOpenAndGoWithTheirRows(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, t.TempDir(), newMemKeys(), c, func(o *Options) { o.StoreImages = true })
	call := validationCall("PHOTOS")
	call.Images = map[string][]byte{"selfie": []byte("selfie-jpeg"), "id": []byte("card-jpeg")}
	id := track(t, s, call, okCompletion("T"))
	r, _ := s.Get(ctx, id, false)
	if !reflect.DeepEqual(r.Images, []string{"id", "selfie"}) {
		t.Fatalf("record lists %v", r.Images)
	}
	imgs, err := s.KeptImages(ctx, id)
	if err != nil || len(imgs) != 2 || imgs[0].Kind != "id" || string(imgs[0].JPEG) != "card-jpeg" || string(imgs[1].JPEG) != "selfie-jpeg" {
		t.Fatalf("kept = %+v, %v", imgs, err)
	}
	if imgs[0].ExpiresAt.IsZero() {
		t.Fatal("no expiry")
	}
	// Turned off live: the next call keeps nothing.
	s.SetPolicy(Policy{StoreImages: false})
	id2 := track(t, s, call, okCompletion("T2"))
	if imgs, _ := s.KeptImages(ctx, id2); len(imgs) != 0 {
		t.Fatal("photos kept after keep photos was turned off")
	}
	// Erasing the person removes the photos with the rows.
	if _, err := s.EraseNIK(ctx, testNIK); err != nil {
		t.Fatal(err)
	}
	var n int
	_ = s.db.QueryRow(`SELECT count(*) FROM images`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d photos outlived their rows", n)
	}
	// Retention: a row purged for its age takes its photos along.
	s.SetPolicy(Policy{StoreImages: true, Retention: 24 * time.Hour})
	id3 := track(t, s, call, okCompletion("T3"))
	s.opts.ImageRetention = 30 * 24 * time.Hour
	c.Advance(48 * time.Hour)
	if _, err := s.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, id3, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("row kept past retention: %v", err)
	}
	_ = s.db.QueryRow(`SELECT count(*) FROM images`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d photos outlived their purged rows", n)
	}
}

func TestKeepAllNeverPurgesAndPolicyAppliesLive(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openTest(t, t.TempDir(), newMemKeys(), c, func(o *Options) { o.KeepAll = true; o.Retention = time.Hour })
	id := track(t, s, validationCall("OLD"), okCompletion("T"))
	c.Advance(400 * 24 * time.Hour)
	if n, err := s.Purge(ctx); err != nil || n != 0 {
		t.Fatalf("purge with KeepAll = %d, %v", n, err)
	}
	s.SetPolicy(Policy{Retention: 365 * 24 * time.Hour})
	if n, err := s.Purge(ctx); err != nil || n != 1 {
		t.Fatalf("purge after a chosen retention = %d, %v", n, err)
	}
	if _, err := s.Get(ctx, id, false); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	if err := s.SetMeta(ctx, "k", "v1"); err != nil {
		t.Fatal(err)
	}
	_ = s.SetMeta(ctx, "k", "v2")
	if v, ok, err := s.Meta(ctx, "k"); v != "v2" || !ok || err != nil {
		t.Fatalf("meta = %q %v %v", v, ok, err)
	}
	if _, ok, _ := s.Meta(ctx, "missing"); ok {
		t.Fatal("missing meta found")
	}
}

// damage helpers: each leaves a history whose file is damaged in one way.
func seedHistory(t *testing.T, dir string, keys KeySource) {
	t.Helper()
	s := openTest(t, dir, keys, nil)
	for i := 0; i < 200; i++ {
		track(t, s, validationCall("SEED"), okCompletion("T"))
	}
	if err := s.checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestDamagedHistoryIsSetAsideAndANewOneStarts(t *testing.T) {
	cases := map[string]func(t *testing.T, path string){
		"truncated": func(t *testing.T, path string) {
			st, _ := os.Stat(path)
			if err := os.Truncate(path, st.Size()/2+100); err != nil {
				t.Fatal(err)
			}
		},
		"not a database": func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("garbage!"), 2048), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"torn page": func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// Page 2 onwards hold the schema's tables: scribble over the first
			// few pages after the header page, as a torn write would.
			if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 3*4096), 4096); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			dir, keys := t.TempDir(), newMemKeys()
			seedHistory(t, dir, keys)
			path := filepath.Join(dir, FileName)
			damage(t, path)
			before, _ := os.ReadFile(path)

			s, err := Open(context.Background(), Options{Dir: dir, Keys: keys})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer s.Close()
			moved := s.SetAside()
			if moved == nil || moved.Reason == "" || !strings.HasPrefix(filepath.Base(moved.Path), damagedPrefix) {
				t.Fatalf("set aside = %+v", moved)
			}
			kept, err := os.ReadFile(moved.Path)
			if err != nil || !bytes.Equal(kept, before) {
				t.Fatalf("the damaged file was not kept as it was: %v", err)
			}
			files, _ := DamagedFiles(dir)
			if len(files) != 1 || files[0] != moved.Path {
				t.Fatalf("DamagedFiles = %v", files)
			}
			// The new history works.
			id := track(t, s, validationCall("AFTER"), okCompletion("T"))
			if r, err := s.Get(context.Background(), id, true); err != nil || r.Personal.NIK != testNIK {
				t.Fatalf("new history: %+v %v", r, err)
			}
			if found, err := s.Check(context.Background(), false); err != nil || len(found) > 0 {
				t.Fatalf("new history check: %v %v", found, err)
			}
		})
	}
}

// TestDamageFoundWhileRunning: an integrity check that finds damage stops new
// calls at once (nothing is sent into a damaged record) and the next Open sets
// the file aside.
func TestDamageFoundWhileRunning(t *testing.T) {
	ctx := context.Background()
	dir, keys := t.TempDir(), newMemKeys()
	seedHistory(t, dir, keys)
	s := openTest(t, dir, keys, nil)
	// Damage an index page under the running store (its page cache is cold for
	// it after the checkpoint): flip bytes deep in the file.
	path := s.Path()
	st, _ := os.Stat(path)
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	_, _ = f.WriteAt(bytes.Repeat([]byte{0x5A}, 4096), (st.Size()/4096-2)*4096)
	f.Close()
	found, err := s.Check(ctx, false)
	if err == nil && len(found) == 0 {
		t.Fatal("integrity check found nothing")
	}
	if !errors.Is(s.Damage(), ErrCorrupt) {
		t.Fatalf("damage not remembered: %v", s.Damage())
	}
	sent := false
	_, err = s.Track(ctx, validationCall("NO"), func(context.Context) Completion { sent = true; return Completion{} })
	if !errors.Is(err, ErrCorrupt) || sent {
		t.Fatalf("Track on a damaged history: sent=%v err=%v", sent, err)
	}
	if _, err := os.Stat(filepath.Join(dir, markerFile)); err != nil {
		t.Fatal("no marker for the next start")
	}
	// While this store is open, another Open must not pull the file away.
	if _, err := Open(ctx, Options{Dir: dir, Keys: keys}); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "another KYC Desk process") {
		t.Fatalf("open while in use: %v", err)
	}
	s.Close()
	s2 := openTest(t, dir, keys, nil)
	if s2.SetAside() == nil {
		t.Fatal("not set aside at the next start")
	}
	if _, err := os.Stat(filepath.Join(dir, markerFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("marker left behind")
	}
	track(t, s2, validationCall("AFTER"), okCompletion("T"))
}

func TestKeepDamagedReturnsTheError(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, FileName), bytes.Repeat([]byte("this is not SQLite. "), 300), 0o600)
	_, err := Open(context.Background(), Options{Dir: dir, Keys: newMemKeys(), KeepDamaged: true})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.InUse || !strings.Contains(ce.Reason, "not a SQLite database") {
		t.Fatalf("err = %v", err)
	}
	if files, _ := DamagedFiles(dir); len(files) != 0 {
		t.Fatal("moved although asked not to")
	}
}

var _ = sql.ErrNoRows
