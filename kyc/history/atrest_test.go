package history

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/zalando/go-keyring"

	"kycdesk/kyc/vault"
)

// scanDir fails if any file under dir contains one of the needles.
func scanDir(t *testing.T, dir string, needles ...string) int {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				t.Errorf("%s contains %q in plaintext", path, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestNothingReadableAtRest stores a known NIK, name and token through the
// real vault (mock keyring) and scans every file in the data directory:
// database, WAL, shared memory, profiles, lock files.
func TestNothingReadableAtRest(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	ctx := context.Background()
	v, err := vault.New(vault.Options{Dir: dir, SystemFile: filepath.Join(dir, "none"), Backend: vault.GoKeyringBackend(),
		Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	const token = "tok-SUPERSECRET-4242"
	if err := v.SaveProfile(vault.Profile{Name: "Prod", ServerURL: "https://gw.example.id"}); err != nil {
		t.Fatal(err)
	}
	if err := v.SetToken(ctx, "Prod", token); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, Options{Dir: dir, Keys: v, StoreImages: true})
	if err != nil {
		t.Fatal(err)
	}
	call := validationCall("ATREST")
	call.Images = map[string][]byte{"selfie": []byte("SELFIE-PIXELS-" + testName)}
	for i := 0; i < 20; i++ {
		track(t, s, call, func(context.Context) Completion {
			return Completion{Outcome: OutcomeSuccess, TrxID: "T", ErrorMessage: "echo " + testNIK,
				Personal: map[string]string{"nama": testName, "nik": testNIK, "alamat": "JL MELATI NO 7"}}
		})
	}
	needles := []string{testNIK, testName, "JL MELATI NO 7", token, "SELFIE-PIXELS"}
	// While open: the WAL and -shm exist and hold the recent pages.
	if _, err := os.Stat(filepath.Join(dir, FileName+"-wal")); err != nil {
		t.Fatalf("expected a WAL file: %v", err)
	}
	if n := scanDir(t, dir, needles...); n < 4 {
		t.Fatalf("scanned only %d files", n)
	}
	// The data is there, just not readable without the key.
	recs, _ := s.ByRef(ctx, "ATREST", true)
	if len(recs) != 20 || recs[0].Personal.Input["name"] != testName {
		t.Fatal("round trip failed")
	}
	s.Close()
	scanDir(t, dir, needles...)
}

// TestByteFlipIsReportedPerValue damages one ciphertext byte: that value is
// reported unreadable, the rest of the row still opens.
func TestByteFlipIsReportedPerValue(t *testing.T) {
	s := openTest(t, t.TempDir(), newMemKeys(), nil)
	ctx := context.Background()
	id := track(t, s, validationCall("FLIP"), okCompletion("T"))
	flip := func(col string, at func(n int) int) {
		var blob []byte
		if err := s.db.QueryRow(`SELECT `+col+` FROM calls WHERE id = ?`, id).Scan(&blob); err != nil {
			t.Fatal(err)
		}
		blob[at(len(blob))] ^= 0x01
		if _, err := s.db.Exec(`UPDATE calls SET `+col+` = ? WHERE id = ?`, blob, id); err != nil {
			t.Fatal(err)
		}
	}
	flip("input_enc", func(n int) int { return n / 2 })  // in the ciphertext
	flip("result_enc", func(n int) int { return n - 1 }) // in the tag
	r, err := s.Get(ctx, id, true)
	if err != nil {
		t.Fatal(err)
	}
	p := r.Personal
	if !errors.Is(p.Unreadable["result"], ErrDecrypt) {
		t.Fatalf("result: %v", p.Unreadable)
	}
	if !errors.Is(p.Unreadable["input"], ErrDecrypt) {
		t.Fatalf("input: %v", p.Unreadable)
	}
	if p.NIK != testNIK || p.Result != nil {
		t.Fatalf("personal = %+v", p)
	}
	// A value moved to another row does not open either (row id is AAD).
	id2 := track(t, s, validationCall("FLIP2"), okCompletion("T"))
	if _, err := s.db.Exec(`UPDATE calls SET nik_enc = (SELECT nik_enc FROM calls WHERE id = ?) WHERE id = ?`, id, id2); err != nil {
		t.Fatal(err)
	}
	r2, _ := s.Get(ctx, id2, true)
	if !errors.Is(r2.Personal.Unreadable["nik"], ErrDecrypt) {
		t.Fatalf("swapped value opened: %+v", r2.Personal)
	}
	// Truncated / wrong version.
	ks, _ := s.currentKeys()
	for _, bad := range [][]byte{nil, {2, 1, 2}, append([]byte{9}, make([]byte, 40)...)} {
		if _, err := ks.open(row{id: 1}, "nik", bad); !errors.Is(err, ErrDecrypt) {
			t.Errorf("open(%x) = %v", bad, err)
		}
	}
}
