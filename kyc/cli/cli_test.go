package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"kycdesk/kyc/photo/specimen"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

// harness runs commands in-process against a fresh data directory, an in-memory
// keyring and an instant in-process sandbox.
type harness struct {
	t    *testing.T
	home string
	env  map[string]string
	dir  string
	// noConsent leaves --consent off the gateway commands (the default adds it:
	// the settings require consent, as a new installation's do).
	noConsent bool
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	keyring.MockInit()
	h := &harness{t: t, home: t.TempDir(), dir: t.TempDir(), env: map[string]string{}}
	t.Setenv(vault.EnvHome, h.home)
	t.Setenv(vault.EnvToken, "")
	t.Setenv(EnvServer, "")
	return h
}

func (h *harness) run(stdin string, args ...string) (int, string, string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	cfg := sandbox.Config{SlowDelay: 5 * time.Second}
	if len(args) > 0 && !h.noConsent {
		switch args[0] {
		case "liveness", "recognize", "validate":
			args = append(append([]string(nil), args...), "--consent")
		}
	}
	code := Run(context.Background(), args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv:         func(k string) string { return h.env[k] },
		Keyring:        vault.GoKeyringBackend(),
		SystemProfiles: filepath.Join(h.dir, "no-system-profiles.json"),
		Sandbox:        &cfg,
	})
	return code, out.String(), errOut.String()
}

// runJSON runs a command with --json and decodes its one object.
func (h *harness) runJSON(args ...string) (int, map[string]any) {
	h.t.Helper()
	code, out, errOut := h.run("", append(args, "--json")...)
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		h.t.Fatalf("%v: stdout is not one JSON object: %v\n%s\nstderr: %s", args, err, out, errOut)
	}
	return code, m
}

// selfie writes the sample selfie cropped around the face and enlarged 3× (nearest
// neighbour, so it stays sharp): 540 px with a 220 px face, a quarter of the pixels of
// the whole photo enlarged enough for the face check, so the many calls of these tests
// (and the race detector's run of them) spend little time in image preparation. Written
// once per harness.
func (h *harness) selfie() string {
	h.t.Helper()
	p := filepath.Join(h.dir, "selfie.jpg")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	f, err := os.Open("../photo/testdata/sample-selfie-astronaut.png")
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		h.t.Fatal(err)
	}
	crop := image.Rect(135, 32, 315, 212) // the face is at (189,86)-(262,159)
	dst := image.NewRGBA(image.Rect(0, 0, crop.Dx()*3, crop.Dy()*3))
	for y := 0; y < dst.Bounds().Dy(); y++ {
		for x := 0; x < dst.Bounds().Dx(); x++ {
			dst.Set(x, y, src.At(crop.Min.X+x/3, crop.Min.Y+y/3))
		}
	}
	return h.writeJPEG("selfie.jpg", dst)
}

// card writes a rendered specimen eKTP.
func (h *harness) card() string {
	return h.writeJPEG("ektp.jpg", specimen.Render(specimen.Default(), specimen.Options{Width: 1600}))
}

func (h *harness) writeJPEG(name string, img image.Image) string {
	h.t.Helper()
	p := filepath.Join(h.dir, name)
	f, err := os.Create(p)
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 90}); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func errKind(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	k, _ := e["kind"].(string)
	return k
}

func TestScenarioTriggersGiveDocumentedExitCodes(t *testing.T) {
	h := newHarness(t)
	selfie := h.selfie()
	want := map[string]struct {
		exit     int
		kind     string
		outcome  string
		attempts int
	}{
		sandbox.Trigger401:          {ExitUnauthorized, "unauthorized", "rejected", 1},
		sandbox.Trigger404:          {ExitFailed, "not_found", "rejected", 1},
		sandbox.TriggerQuota:        {ExitRejected, "quota_exceeded", "rejected", 1},
		sandbox.TriggerNotActivated: {ExitRejected, "product_not_activated", "rejected", 1},
		sandbox.TriggerNotApproved:  {ExitRejected, "product_not_approved", "rejected", 1},
		sandbox.TriggerError:        {ExitRejected, "gateway_error", "rejected", 1},
		sandbox.Trigger500:          {ExitUnknown, "server_error", "unknown", 1},
		sandbox.Trigger503:          {ExitFailed, "unavailable", "failed", 4},
		sandbox.Trigger503Once:      {ExitOK, "", "success", 2},
		sandbox.Trigger504:          {ExitUnknown, "gateway_timeout", "unknown", 1},
		sandbox.TriggerSlow:         {ExitUnknown, "timeout", "unknown", 1},
		sandbox.TriggerDrop:         {ExitUnknown, "connection", "unknown", 1},
		sandbox.TriggerHTML:         {ExitUnknown, "malformed_response", "unknown", 1},
		sandbox.TriggerTruncated:    {ExitUnknown, "malformed_response", "unknown", 1},
		sandbox.TriggerBareSuccess:  {ExitOK, "", "success", 1},
		sandbox.TriggerBig:          {ExitUnknown, "malformed_response", "unknown", 1},
	}
	if len(want) != len(sandbox.Scenarios) {
		t.Fatalf("%d scenarios documented, %d tested", len(sandbox.Scenarios), len(want))
	}
	for _, sc := range sandbox.Scenarios {
		w := want[sc.Trigger]
		ref := strings.ToUpper(sc.Trigger) + "-T1"
		timeout := "20s"
		if sc.Trigger == sandbox.TriggerSlow {
			timeout = "1s"
		}
		code, m := h.runJSON("liveness", "--server", "sandbox", "--image", selfie, "--ref", ref, "--timeout", timeout)
		if code != w.exit || errKind(m) != w.kind || m["outcome"] != w.outcome || int(m["attempts"].(float64)) != w.attempts {
			t.Errorf("%s: exit %d kind %q outcome %v attempts %v; want %+v", sc.Trigger, code, errKind(m), m["outcome"], m["attempts"], w)
		}
		if m["cust_ref_no"] != ref || m["product"] != "passive-liveness" {
			t.Errorf("%s: %v", sc.Trigger, m)
		}
		if w.exit == ExitOK && m["live"] != true {
			t.Errorf("%s: live %v", sc.Trigger, m["live"])
		}
	}
	// Every call that reached the wire is on record, unknown ones included.
	code, out, _ := h.run("", "history", "--limit", "100")
	unknownRows := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "passive-liveness") && strings.Contains(line, " UNKNOWN ") {
			unknownRows++
		}
	}
	if code != ExitOK || unknownRows != 7 || !strings.Contains(out, "7 calls with outcome UNKNOWN may have been billed") {
		t.Errorf("history:\n%s", out)
	}
}

func TestLivenessRecognizeValidateSucceed(t *testing.T) {
	h := newHarness(t)
	code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie())
	if code != ExitOK || m["live"] != true || m["trx_id"] == "" || len(m["cust_ref_no"].(string)) != 20 {
		t.Fatalf("liveness %d %v", code, m)
	}
	code, m = h.runJSON("recognize", "--server", "sandbox", "--image", h.card(), "--ref", "ocr-1")
	if code != ExitOK {
		t.Fatalf("recognize %d %v", code, m)
	}
	id := m["identity"].(map[string]any)
	nikValue, _ := id["nik"].(string)
	if len(nikValue) != 16 || id["rt/rw"] == nil || id["kelurahan/desa"] == nil {
		t.Fatalf("identity %v", id)
	}
	// Validate the person the OCR returned, with the OCR's own fields: all match.
	code, m = h.runJSON("validate", "--server", "sandbox", "--nik", nikValue, "--name", id["nama"].(string),
		"--birth-date", id["tanggal_lahir"].(string), "--birth-place", id["tempat_lahir"].(string), "--selfie", h.selfie())
	if code != ExitOK {
		t.Fatalf("validate %d %v", code, m)
	}
	match := m["match"].(map[string]any)
	if match["nik"] != true || match["full_name"] != true || match["birth_date"] != true || match["birth_place"] != true {
		t.Errorf("match %v", match)
	}
	if _, ok := match["address"]; ok {
		t.Error("address was not sent, so it has no verdict")
	}
	if s, _ := match["selfie_photo"].(float64); s < 75 {
		t.Errorf("selfie score %v", match["selfie_photo"])
	}
	// The human output names the verdicts.
	code, out, _ := h.run("", "validate", "--server", "sandbox", "--nik", nikValue, "--name", "SOMEONE ELSE")
	if code != ExitOK || !strings.Contains(out, "full_name    ✗ no match") || !strings.Contains(out, "address      not checked") {
		t.Errorf("%d\n%s", code, out)
	}
	// History finds the validation by NIK, masked in the list.
	code, out, _ = h.run("", "history", "--nik", nikValue)
	if code != ExitOK || strings.Count(out, "id-validation") != 2 || !strings.Contains(out, nikValue[:4]+"********"+nikValue[12:]) || strings.Contains(out, nikValue) {
		t.Errorf("history by NIK:\n%s", out)
	}
	code, out, _ = h.run("", "history", "--ref", "ocr-1", "--export", "json", "--include-personal")
	if code != ExitOK || !strings.Contains(out, nikValue) {
		t.Errorf("export with personal data:\n%s", out)
	}
}

func TestValidateRefusesBadInputLocally(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{
		{"--nik", "1234"},
		{"--nik", "3203013202770011"},
		{"--nik", "3203012503770011", "--birth-date", "30-02-1977"},
		{"--nik", "3203012503770011", "--selfie", filepath.Join(h.dir, "missing.jpg")},
	} {
		code, m := h.runJSON(append([]string{"validate", "--server", "sandbox"}, args...)...)
		if code != ExitUsage || errKind(m) != "invalid_input" || m["outcome"] != "failed" || m["attempts"].(float64) != 0 {
			t.Errorf("%v: %d %v", args, code, m)
		}
	}
	if code, out, _ := h.run("", "history"); code != ExitOK || !strings.Contains(out, "No calls") {
		t.Errorf("refused calls were recorded:\n%s", out)
	}
}

func TestImageChecksBlockUnlessForced(t *testing.T) {
	h := newHarness(t)
	flat := image.NewGray(image.Rect(0, 0, 800, 800))
	for i := range flat.Pix {
		flat.Pix[i] = uint8(100 + i%7)
	}
	path := h.writeJPEG("wall.jpg", flat)
	code, m := h.runJSON("liveness", "--server", "sandbox", "--image", path)
	if code != ExitUsage || errKind(m) != "invalid_input" || len(m["findings"].([]any)) == 0 {
		t.Fatalf("%d %v", code, m)
	}
	code, m = h.runJSON("liveness", "--server", "sandbox", "--image", path, "--force")
	if code != ExitOK || m["live"] != false {
		t.Fatalf("forced: %d %v", code, m)
	}
	bad := filepath.Join(h.dir, "not-an-image.jpg")
	_ = os.WriteFile(bad, []byte("%PDF-1.4 not an image"), 0o600)
	code, m = h.runJSON("recognize", "--server", "sandbox", "--image", bad)
	if code != ExitUsage || !strings.Contains(m["error"].(map[string]any)["message"].(string), "JPEG") {
		t.Fatalf("%d %v", code, m)
	}
}

func TestTokenProfilesAndMissingToken(t *testing.T) {
	h := newHarness(t)
	// A standalone gateway the profile points at.
	_, url, stop, err := sandbox.StartLoopback(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background())

	if code, _, errOut := h.run("", "profile", "add", "Outlet", "--server", url); code != ExitOK {
		t.Fatalf("profile add: %s", errOut)
	}
	if code, _, errOut := h.run("", "profile", "add", "Bad", "--server", "ftp://x"); code != ExitUsage {
		t.Fatalf("bad URL accepted: %s", errOut)
	}
	if code, out, _ := h.run("", "profile", "use", "outlet"); code != ExitOK || !strings.Contains(out, "Outlet") {
		t.Fatal(out)
	}
	selfie := h.selfie()
	code, m := h.runJSON("liveness", "--image", selfie)
	if code != ExitUnauthorized || errKind(m) != "unauthorized" || !strings.Contains(m["error"].(map[string]any)["message"].(string), "kycdesk token set") {
		t.Fatalf("no token: %d %v", code, m)
	}
	if code, out, _ := h.run("", "token", "status"); code != ExitUnauthorized || !strings.Contains(out, "no token") {
		t.Fatalf("status: %d %s", code, out)
	}
	if code, _, errOut := h.run("  \n", "token", "set"); code != ExitUsage {
		t.Fatalf("empty token accepted: %s", errOut)
	}
	if code, out, errOut := h.run(sandbox.DefaultToken+"\n", "token", "set"); code != ExitOK || !strings.Contains(out, "…oken") || strings.Contains(out+errOut, sandbox.DefaultToken) {
		t.Fatalf("set: %d %q %q", code, out, errOut)
	}
	code, m = h.runJSON("liveness", "--image", selfie)
	if code != ExitOK || m["profile"] != "Outlet" || m["server"] != url {
		t.Fatalf("with token: %d %v", code, m)
	}
	// KYCDESK_TOKEN wins over the keyring.
	h.env[vault.EnvToken] = "wrong-token-1234"
	code, m = h.runJSON("liveness", "--image", selfie)
	if code != ExitUnauthorized || m["attempts"].(float64) != 1 {
		t.Fatalf("env token: %d %v", code, m)
	}
	delete(h.env, vault.EnvToken)
	if code, out, _ := h.run("", "token", "status", "--json"); code != ExitOK || !strings.Contains(out, `"last4": "oken"`) {
		t.Fatal(out)
	}
	if code, out, _ := h.run("", "token", "clear"); code != ExitOK || !strings.Contains(out, "removed") {
		t.Fatal(out)
	}
	if code, out, _ := h.run("", "profile", "list"); code != ExitOK || !strings.Contains(out, "* ") || !strings.Contains(out, "Sandbox") {
		t.Fatal(out)
	}
	if code, _, _ := h.run("", "profile", "remove", "Outlet"); code != ExitOK {
		t.Fatal("remove")
	}
	if code, _, _ := h.run("", "profile", "remove", "Sandbox"); code != ExitUsage {
		t.Fatal("built-in profile removed")
	}
}

func TestServerFromEnvironment(t *testing.T) {
	h := newHarness(t)
	h.env[EnvServer] = "sandbox"
	h.env[vault.EnvToken] = sandbox.TokenNotActivated
	code, m := h.runJSON("liveness", "--image", h.selfie())
	if code != ExitRejected || errKind(m) != "product_not_activated" {
		t.Fatalf("%d %v", code, m)
	}
	h.env[EnvServer] = "http://" + refused(t)
	code, m = h.runJSON("liveness", "--image", h.selfie(), "--timeout", "5s")
	if code != ExitFailed || errKind(m) != "connection" {
		t.Fatalf("%d %v", code, m)
	}
}

func refused(t *testing.T) string {
	_, url, stop, err := sandbox.StartLoopback(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_ = stop(context.Background())
	return strings.TrimPrefix(url, "http://")
}

func TestPrepare(t *testing.T) {
	h := newHarness(t)
	out := filepath.Join(h.dir, "out.jpg")
	code, m := h.runJSON("prepare", "--kind", "id", "--image", h.card(), "--out", out)
	if code != ExitOK || m["width"].(float64) != 1600 {
		t.Fatalf("%d %v", code, m)
	}
	st, err := os.Stat(out)
	if err != nil || st.Size() != int64(m["bytes"].(float64)) || st.Mode().Perm() != 0o600 {
		t.Fatalf("%v %v", st, err)
	}
	code, stdout, _ := h.run("", "prepare", "--kind", "selfie", "--image", h.selfie(), "--out", out)
	if code != ExitOK || !strings.Contains(stdout, "JPEG quality") {
		t.Fatal(stdout)
	}
	if code, _, _ := h.run("", "prepare", "--kind", "passport", "--image", out, "--out", out); code != ExitUsage {
		t.Fatal("bad kind")
	}
	// The photo without its flag: refused, and the message says where it goes.
	code, _, stderr := h.run("", "prepare", "--kind", "selfie", "--out", out, h.selfie())
	if code != ExitUsage || !strings.Contains(stderr, "--image "+h.selfie()) {
		t.Errorf("photo without --image: exit %d, %q", code, stderr)
	}
	code, _, stderr = h.run("", "prepare", "--kind", "selfie", h.selfie(), "--out", out) // flags after it are arguments too
	if code != ExitUsage || !strings.Contains(stderr, "--image "+h.selfie()) {
		t.Errorf("photo without --image, then --out: exit %d, %q", code, stderr)
	}
}

func TestUsage(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{
		{}, {"nope"}, {"liveness"}, {"liveness", "--image"}, {"liveness", "--image", "x", "extra"},
		{"validate"}, {"token"}, {"token", "frobnicate"}, {"history", "--since", "yesterday"},
		{"history", "--outcome", "maybe"}, {"history", "--nik", "123"}, {"history", "--out", "x"},
	} {
		if code, _, _ := h.run("", args...); code != ExitUsage {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code, m := h.runJSON("liveness"); code != ExitUsage || errKind(m) != "invalid_input" {
		t.Errorf("liveness --json without --image: %d %v", code, m)
	}
	for _, args := range [][]string{{"help"}, {"--version"}, {"liveness", "-h"}} {
		if code, _, _ := h.run("", args...); code != ExitOK {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if !IsCommand("liveness") || IsCommand("--profile") {
		t.Error("IsCommand")
	}
}

func TestHistoryExportAndErase(t *testing.T) {
	h := newHarness(t)
	p := sandbox.Specimens()[0]
	for i := 0; i < 3; i++ {
		if code, m := h.runJSON("validate", "--server", "sandbox", "--nik", p.NIK, "--name", p.Name); code != ExitOK {
			t.Fatal(m)
		}
	}
	csvPath := filepath.Join(h.dir, "h.csv")
	if code, _, errOut := h.run("", "history", "--export", "csv", "--out", csvPath); code != ExitOK || !strings.Contains(errOut, "Exported 3 records") {
		t.Fatal(errOut)
	}
	b, _ := os.ReadFile(csvPath)
	if strings.Contains(string(b), p.NIK) || strings.Count(string(b), "\n") != 4 {
		t.Fatalf("csv without personal data:\n%s", b)
	}
	code, m := h.runJSON("history", "--since", time.Now().Format("2006-01-02"))
	if code != ExitOK || m["count"].(float64) != 3 {
		t.Fatal(m)
	}
	if code, out, _ := h.run("", "history", "--erase-nik", p.NIK); code != ExitOK || !strings.Contains(out, "Erased 3 records") {
		t.Fatal(out)
	}
	if code, m := h.runJSON("history"); code != ExitOK || m["count"].(float64) != 0 {
		t.Fatal(m)
	}
	// The keyring lost the history's keys: calls with personal data refuse until new
	// keys are started; the clear fields of old rows stay listable.
	if code, _ := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie()); code != ExitOK {
		t.Fatal("liveness")
	}
	keyring.MockInit()
	code, m = h.runJSON("validate", "--server", "sandbox", "--nik", p.NIK)
	if code != ExitFailed || errKind(m) != "history_unavailable" {
		t.Fatalf("%d %v", code, m)
	}
	if code, out, errOut := h.run("", "history", "--new-keys"); code != ExitOK {
		t.Fatal(out, errOut)
	}
	if code, m := h.runJSON("validate", "--server", "sandbox", "--nik", p.NIK); code != ExitOK {
		t.Fatal(m)
	}
	if code, m := h.runJSON("history"); code != ExitOK || m["count"].(float64) != 2 {
		t.Fatal(m)
	}
}

// The README's trigger and token tables are the user's documentation of the sandbox;
// they must list everything the sandbox does.
func TestREADMEDocumentsEverySandboxTriggerAndToken(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, sc := range sandbox.Scenarios {
		if !strings.Contains(readme, "| `"+sc.Trigger+"` |") {
			t.Errorf("README has no row for %s", sc.Trigger)
		}
	}
	for tok := range sandbox.DefaultTokens() {
		if !strings.Contains(readme, "`"+tok+"`") {
			t.Errorf("README does not mention token %s", tok)
		}
	}
}
