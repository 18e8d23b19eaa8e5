package service

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

// testClock is an injectable clock for retention.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// deskEnv is a data directory, an in-memory keyring, a clock and a sandbox gateway
// on loopback that counts the requests reaching it.
type deskEnv struct {
	t     *testing.T
	dir   string
	env   map[string]string
	clock *testClock
	url   string
	hits  *atomic.Int32
}

func newDeskEnv(t *testing.T) *deskEnv {
	t.Helper()
	keyring.MockInit()
	e := &deskEnv{t: t, dir: t.TempDir(), env: map[string]string{}, clock: &testClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
		hits: &atomic.Int32{}}
	sb := sandbox.New(sandbox.Config{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.hits.Add(1)
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

func (e *deskEnv) open() *Desk {
	e.t.Helper()
	cfg := sandbox.Config{}
	d, err := Open(Options{Dir: e.dir, SystemProfiles: filepath.Join(e.dir, "none.json"), Keyring: vault.GoKeyringBackend(),
		Getenv: func(k string) string { return e.env[k] }, Now: e.clock.Now, Sandbox: &cfg})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { d.Close() })
	return d
}

// outlet makes a profile for the counting gateway with the sandbox's demo token.
func (e *deskEnv) outlet(d *Desk) vault.Profile {
	e.t.Helper()
	v, _ := d.Vault()
	if err := v.SaveProfile(vault.Profile{Name: "Outlet", ServerURL: e.url}); err != nil {
		e.t.Fatal(err)
	}
	if err := v.SetToken(context.Background(), "Outlet", sandbox.DefaultToken); err != nil {
		e.t.Fatal(err)
	}
	p, _ := v.Profile("Outlet")
	return p
}

func (e *deskEnv) connect(d *Desk) *Connection {
	e.t.Helper()
	c, err := d.Connect(context.Background(), Target{Profile: e.outlet(d)})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(c.Close)
	return c
}

func consented(t *testing.T, d *Desk) context.Context {
	t.Helper()
	p, err := d.ConsentPolicy()
	if err != nil {
		t.Fatal(err)
	}
	return WithConsent(context.Background(), p.Confirm())
}

func (e *deskEnv) writeSettings(body string) {
	e.t.Helper()
	if err := os.WriteFile(filepath.Join(e.dir, SettingsFile), []byte(body), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// seedOld records a call dated days ago (liveness: no personal data).
func (e *deskEnv) seedOld(d *Desk, ref string, daysAgo int) {
	e.t.Helper()
	s, err := d.History(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	back := time.Duration(daysAgo) * 24 * time.Hour
	e.clock.Advance(-back)
	_, err = s.Track(context.Background(), history.Call{Product: "passive-liveness", CustRefNo: ref, Profile: "Outlet"},
		func(context.Context) history.Completion { return history.Completion{Outcome: history.OutcomeSuccess} })
	e.clock.Advance(back)
	if err != nil {
		e.t.Fatal(err)
	}
}

func count(t *testing.T, d *Desk, ref string) int {
	t.Helper()
	s, err := d.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.ByRef(context.Background(), ref, false)
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

func TestNewInstallationWritesTheDefaults(t *testing.T) {
	e := newDeskEnv(t)
	d := e.open()
	if _, err := d.History(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := d.Settings()
	if !st.OK() || st.Settings != DefaultSettings() {
		t.Fatalf("state = %+v", st)
	}
	if _, err := readSettings(e.dir); err != nil {
		t.Fatalf("defaults not written down: %v", err)
	}
	if !st.Settings.ConsentRequired || st.Settings.ConsentText != DefaultConsentText {
		t.Fatal("consent not required by default")
	}
}

// TestDamagedSettingsFailClosed: whatever is wrong with settings.json, nothing is
// purged, the problem is reported, paid calls are refused before anything is sent,
// and saving valid settings repairs it (keeping the damaged file for IT).
func TestDamagedSettingsFailClosed(t *testing.T) {
	cases := map[string]string{
		"truncated":         `{"retention_days": 36`,
		"garbage":           "\x00\x01not json at all",
		"empty":             "",
		"wrong type":        `{"retention_days": "365", "keep_images": false}`,
		"wrong bool":        `{"retention_days": 365, "keep_images": "yes"}`,
		"out of range":      `{"retention_days": 0}`,
		"no retention":      `{"keep_images": true}`,
		"null retention":    `{"retention_days": null}`,
		"bad consent":       `{"retention_days": 365, "consent_text": "   "}`,
		"trailing garbage":  `{"retention_days": 365} {"retention_days": 1}`,
		"negative version":  `{"retention_days": 365, "consent_version": -2}`,
		"wrong-typed array": `[365]`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			e := newDeskEnv(t)
			d := e.open()
			e.seedOld(d, "OLD", 200) // older than the 90-day default
			d.Close()

			e.writeSettings(body)
			d = e.open()
			st := d.Settings()
			if st.OK() || !errors.Is(st.Problem, ErrSettings) || !strings.Contains(st.Problem.Error(), "kycdesk settings set --retention-days") {
				t.Fatalf("state = %+v", st)
			}
			if st.Settings.RetentionDays != 0 || st.Settings.KeepImages {
				t.Fatalf("in doubt, settings in force = %+v", st.Settings)
			}
			if n := count(t, d, "OLD"); n != 1 {
				t.Fatal("a row was purged under settings nobody chose")
			}
			probs := d.Problems(context.Background())
			if len(probs) == 0 || probs[0].Code != ProblemSettings {
				t.Fatalf("problems = %+v", probs)
			}
			conn := e.connect(d)
			if _, err := d.ConsentPolicy(); !errors.Is(err, ErrSettings) {
				t.Fatalf("consent policy with settings in doubt: %v", err)
			}
			anyConsent := WithConsent(context.Background(), ConsentPolicy{Required: true, Text: "some text", Version: 1}.Confirm())
			_, err := conn.Liveness(anyConsent, kyc.LivenessRequest{CustRefNo: "X", SelfieImage: photoB64(t)})
			if kyc.KindOf(err) != KindSettings || e.hits.Load() != 0 || count(t, d, "X") != 0 {
				t.Fatalf("call with settings in doubt: %v, %d requests", err, e.hits.Load())
			}

			// Repair: valid settings; the damaged file is kept beside.
			if err := d.SaveSettings(context.Background(), Settings{RetentionDays: 365, ConsentRequired: true, ConsentText: DefaultConsentText}); err != nil {
				t.Fatal(err)
			}
			if st := d.Settings(); !st.OK() || st.Settings.RetentionDays != 365 {
				t.Fatalf("after repair: %+v", st)
			}
			if body != "" && !strings.HasPrefix(body, "{\"retention_days\": 0") {
				kept, _ := filepath.Glob(filepath.Join(e.dir, SettingsFile+".damaged-*"))
				if len(kept) != 1 {
					t.Fatalf("damaged settings not kept: %v", kept)
				}
			}
			if n := count(t, d, "OLD"); n != 1 {
				t.Fatal("a 200-day-old row purged under a chosen 365-day retention")
			}
			if _, err := conn.Liveness(consented(t, d), kyc.LivenessRequest{CustRefNo: "Y", SelfieImage: photoB64(t)}); err != nil {
				t.Fatalf("call after repair: %v", err)
			}
		})
	}
}

func TestLostSettingsAreNotReplacedByDefaults(t *testing.T) {
	e := newDeskEnv(t)
	d := e.open()
	if err := d.SaveSettings(context.Background(), Settings{RetentionDays: 365, ConsentRequired: true, ConsentText: DefaultConsentText}); err != nil {
		t.Fatal(err)
	}
	e.seedOld(d, "OLD", 200)
	d.Close()
	if err := os.Remove(filepath.Join(e.dir, SettingsFile)); err != nil {
		t.Fatal(err)
	}
	d = e.open()
	if _, err := d.History(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := d.Settings()
	if st.OK() || !st.Problem.Missing || st.Problem.LastRetentionDays != 365 || !strings.Contains(st.Problem.Error(), "--retention-days 365") {
		t.Fatalf("state = %+v", st.Problem)
	}
	if count(t, d, "OLD") != 1 {
		t.Fatal("purged after settings.json was lost")
	}
	if _, err := readSettings(e.dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("defaults written over a lost settings file")
	}
}

// TestSettingsApplyLive: a saved change applies to the next call, no reconnect, no
// restart: photo keeping, retention (purged at once), consent.
func TestSettingsApplyLive(t *testing.T) {
	e := newDeskEnv(t)
	d := e.open()
	conn := e.connect(d)
	ctx := context.Background()
	save := func(s Settings) {
		t.Helper()
		if s.ConsentText == "" {
			s.ConsentText = DefaultConsentText
		}
		if err := d.SaveSettings(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	save(Settings{RetentionDays: 365, KeepImages: true, ConsentRequired: true})
	res, err := conn.Liveness(consented(t, d), kyc.LivenessRequest{CustRefNo: "KEEP", SelfieImage: photoB64(t)})
	if err != nil {
		t.Fatal(err)
	}
	store, _ := d.History(ctx)
	recs, _ := store.ByRef(ctx, "KEEP", false)
	if len(recs) != 1 || len(recs[0].Images) != 1 {
		t.Fatalf("photo not kept: %+v", recs)
	}
	if imgs, err := d.Records().KeptImages(ctx, recs[0].ID); err != nil || len(imgs) != 1 || len(imgs[0].JPEG) == 0 {
		t.Fatalf("kept photo unreadable: %v", err)
	}
	_ = res
	save(Settings{RetentionDays: 365, KeepImages: false, ConsentRequired: true})
	if _, err := conn.Liveness(consented(t, d), kyc.LivenessRequest{CustRefNo: "NOKEEP", SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
	recs, _ = store.ByRef(ctx, "NOKEEP", false)
	if len(recs) != 1 || len(recs[0].Images) != 0 {
		t.Fatalf("photo kept after keep photos was turned off: %+v", recs)
	}
	e.seedOld(d, "OLD", 100)
	save(Settings{RetentionDays: 30, ConsentRequired: true})
	if count(t, d, "OLD") != 0 {
		t.Fatal("a shorter retention did not apply at once")
	}
	// Consent off: a call without one goes through.
	save(Settings{RetentionDays: 30, ConsentRequired: false})
	if _, err := conn.Liveness(ctx, kyc.LivenessRequest{CustRefNo: "NOCONSENT", SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
}

func TestSettingsSavedByAnotherProcessAreSeen(t *testing.T) {
	e := newDeskEnv(t)
	gui := e.open()
	conn := e.connect(gui)
	cmd := e.open()
	if err := cmd.SaveSettings(context.Background(), Settings{RetentionDays: 200, KeepImages: true, ConsentRequired: true, ConsentText: DefaultConsentText}); err != nil {
		t.Fatal(err)
	}
	// A different mtime is not guaranteed within the same clock tick: the size differs anyway.
	if st := gui.Settings(); st.Settings.RetentionDays != 200 || !st.Settings.KeepImages {
		t.Fatalf("the window did not see the command's settings: %+v", st)
	}
	if _, err := conn.Liveness(consented(t, gui), kyc.LivenessRequest{CustRefNo: "K", SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
	store, _ := gui.History(context.Background())
	if recs, _ := store.ByRef(context.Background(), "K", false); len(recs) != 1 || len(recs[0].Images) != 1 {
		t.Fatal("the live store did not follow the new settings")
	}
}

func TestConsentRequiredRecordedAndVersioned(t *testing.T) {
	e := newDeskEnv(t)
	d := e.open()
	conn := e.connect(d)
	ctx := context.Background()
	_, err := conn.Liveness(ctx, kyc.LivenessRequest{CustRefNo: "NO", SelfieImage: photoB64(t)})
	var ke *kyc.Error
	if !errors.As(err, &ke) || ke.Kind != KindConsentRequired || ke.Outcome != kyc.OutcomeFailed || e.hits.Load() != 0 || count(t, d, "NO") != 0 {
		t.Fatalf("call without consent: %v (%d requests)", err, e.hits.Load())
	}
	p, _ := d.ConsentPolicy()
	if !p.Required || p.Text != DefaultConsentText || p.Version != 1 {
		t.Fatalf("policy = %+v", p)
	}
	c := p.Confirm()
	if _, err := conn.Liveness(WithConsent(ctx, c), kyc.LivenessRequest{CustRefNo: "YES", SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
	store, _ := d.History(ctx)
	recs, _ := store.ByRef(ctx, "YES", false)
	got := recs[0].Consent
	if !got.At.Equal(c.At.Truncate(time.Millisecond)) || got.Version != 1 || got.Text != DefaultConsentText || got.User == "" || got.User != OSUser() {
		t.Fatalf("recorded consent = %+v", got)
	}
	// A new text gets the next version; going back to the old text gets its number back.
	newText := "Nasabah setuju (teks baru)."
	if err := d.SaveSettings(ctx, Settings{RetentionDays: 90, ConsentRequired: true, ConsentText: newText, ConsentVersion: 1}); err != nil {
		t.Fatal(err)
	}
	if p, _ := d.ConsentPolicy(); p.Version != 2 || p.Text != newText {
		t.Fatalf("after a new text: %+v", p)
	}
	if err := d.SaveSettings(ctx, Settings{RetentionDays: 90, ConsentRequired: true, ConsentText: DefaultConsentText}); err != nil {
		t.Fatal(err)
	}
	if p, _ := d.ConsentPolicy(); p.Version != 1 {
		t.Fatalf("the recorded text came back as version %d", p.Version)
	}
}

func TestResolveMatchesTheServer(t *testing.T) {
	e := newDeskEnv(t)
	d := e.open()
	v, _ := d.Vault()
	for _, p := range []vault.Profile{{Name: "Prod", ServerURL: "https://gw.example.id"}, {Name: "Lab", ServerURL: "http://10.0.0.5:8080/gw"}} {
		if err := v.SaveProfile(p); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		profile, server string
		want            string // profile name, or "error:KIND"
	}{
		{"", "", "Sandbox"},
		{"Prod", "", "Prod"},
		{"", "https://GW.example.id/", "Prod"},
		{"", "http://10.0.0.5:8080/gw", "Lab"},
		{"", "sandbox", "Sandbox"},
		{"Prod", "sandbox", "Prod"},
		{"Lab", "https://gw.example.id", "error:invalid_input"},
		{"", "https://other.example", "error:unauthorized"},
		{"Nobody", "", "error:invalid_input"},
		{"", "ftp://x", "error:invalid_input"},
	}
	for _, c := range cases {
		r, err := d.Resolve(c.profile, c.server)
		got := r.Profile.Name
		if err != nil {
			got = "error:" + string(kyc.KindOf(err))
		}
		if got != c.want {
			t.Errorf("Resolve(%q, %q) = %q (%v), want %q", c.profile, c.server, got, err, c.want)
		}
	}
	_, err := d.Resolve("", "https://other.example")
	if !strings.Contains(err.Error(), "kycdesk profile add NAME --server https://other.example") || strings.Contains(err.Error(), "--profile \"Sandbox\"") {
		t.Fatalf("message: %v", err)
	}
	e.env[vault.EnvToken] = "script-token-123456"
	if r, err := d.Resolve("", "https://other.example"); err != nil || !r.AdHoc || r.Server != "https://other.example" {
		t.Fatalf("with KYCDESK_TOKEN: %+v %v", r, err)
	}
}

func TestConnectSandboxNeverGetsAKeyringToken(t *testing.T) {
	e := newDeskEnv(t)
	d := e.open()
	v, _ := d.Vault()
	if err := v.SaveProfile(vault.Profile{Name: "Outlet", ServerURL: "https://gw.example"}); err != nil {
		t.Fatal(err)
	}
	if err := v.SetToken(context.Background(), "Outlet", "real-merchant-token"); err != nil {
		t.Fatal(err)
	}
	conn, err := d.Connect(context.Background(), Target{ProfileName: "Outlet", Server: "sandbox"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if !conn.Sandbox || conn.Server != "sandbox" || conn.Unencrypted {
		t.Fatal(conn.Server)
	}
	// The sandbox accepts only its demo token: a success proves the real one was not sent.
	if _, err := conn.Liveness(consented(t, d), kyc.LivenessRequest{SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
	if !IsSandbox("SANDBOX") || !IsSandbox("sandbox:") || IsSandbox("https://x") {
		t.Error("IsSandbox")
	}
}

func TestPlainHTTPIsReportedUnencrypted(t *testing.T) {
	e := newDeskEnv(t)
	d := e.open()
	p := vault.Profile{Name: "LAN", ServerURL: "http://192.0.2.10:8080"}
	if !ProfileUnencrypted(p) || ProfileUnencrypted(vault.Sandbox()) || ProfileUnencrypted(vault.Profile{ServerURL: e.url}) {
		t.Fatal("ProfileUnencrypted")
	}
	v, _ := d.Vault()
	_ = v.SaveProfile(p)
	conn, err := d.Connect(context.Background(), Target{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if !conn.Unencrypted {
		t.Fatal("plain http to a LAN gateway not reported")
	}
}

func TestShortEnvTokenRefusedForTheSandbox(t *testing.T) {
	e := newDeskEnv(t)
	e.env[vault.EnvToken] = "t"
	d := e.open()
	_, err := d.Connect(context.Background(), Target{Server: "sandbox"})
	if kyc.KindOf(err) != kyc.KindUnauthorized || !strings.Contains(err.Error(), "shorter than 12") || strings.Contains(err.Error(), "[REDACTED]") {
		t.Fatalf("err = %v", err)
	}
}

// TestKeyringLockedWhileRunning: the keyring locks after the connection was made:
// the call says so, nothing reaches the gateway, and the record says it failed
// before sending.
func TestKeyringLockedWhileRunning(t *testing.T) {
	e := newDeskEnv(t)
	d := e.open()
	conn := e.connect(d)
	ctx := consented(t, d)
	if _, err := conn.Liveness(ctx, kyc.LivenessRequest{CustRefNo: "BEFORE", SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
	before := e.hits.Load()
	keyring.MockInitWithError(vault.ErrLocked)
	defer keyring.MockInit()
	_, err := conn.Liveness(ctx, kyc.LivenessRequest{CustRefNo: "LOCKED", SelfieImage: photoB64(t)})
	if kyc.KindOf(err) != kyc.KindUnauthorized || kyc.OutcomeOf(err) != kyc.OutcomeFailed || !strings.Contains(err.Error(), "keyring is locked") {
		t.Fatalf("err = %v", err)
	}
	if e.hits.Load() != before {
		t.Fatal("a request was sent without a token from the keyring")
	}
	store, _ := d.History(context.Background())
	recs, _ := store.ByRef(context.Background(), "LOCKED", false)
	if len(recs) != 1 || recs[0].Outcome != history.OutcomeFailed || recs[0].Attempts != 0 {
		t.Fatalf("record = %+v", recs)
	}
}

// TestNothingIsNil: a data directory that cannot be used, or a history that cannot
// be opened, gives every caller a clear typed error, never a nil to trip on.
func TestNothingIsNil(t *testing.T) {
	keyring.MockInit()
	file := filepath.Join(t.TempDir(), "a-file")
	_ = os.WriteFile(file, nil, 0o600)
	d, err := Open(Options{Dir: file, Keyring: vault.GoKeyringBackend(), SystemProfiles: file + ".none"})
	if d == nil || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Open = %v, %v", d, err)
	}
	ctx := context.Background()
	checks := map[string]error{}
	_, checks["History"] = d.History(ctx)
	_, checks["Records.List"] = d.Records().List(ctx, history.Filter{})
	_, checks["Records.Get"] = d.Records().Get(ctx, 1, true)
	_, checks["Records.Export"] = d.Records().Export(ctx, nil, history.ExportOptions{})
	_, checks["Records.KeptImages"] = d.Records().KeptImages(ctx, 1)
	checks["Records.StartNewKeys"] = d.Records().StartNewKeys(ctx)
	_, checks["Profiles.Snapshot"] = d.Profiles().Snapshot()
	checks["Profiles.SetToken"] = d.Profiles().SetToken(ctx, "x", "y")
	_, checks["Connect"] = d.Connect(ctx, Target{})
	_, checks["ConsentPolicy"] = d.ConsentPolicy()
	checks["SaveSettings"] = d.SaveSettings(ctx, DefaultSettings())
	_, checks["Resolve"] = d.Resolve("", "")
	for name, err := range checks {
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "data directory") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if st := d.Settings(); st.OK() {
		t.Error("settings OK without a data directory")
	}
	if p := d.Problems(ctx); len(p) != 1 || p[0].Code != ProblemDataDir {
		t.Errorf("problems = %+v", p)
	}

	// The history cannot be opened (its file is a directory): the window's History
	// screen gets the error, a call is refused before anything is sent.
	e := newDeskEnv(t)
	if err := os.MkdirAll(filepath.Join(e.dir, history.FileName), 0o700); err != nil {
		t.Fatal(err)
	}
	d2 := e.open()
	if _, err := d2.Records().List(ctx, history.Filter{}); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "call history") {
		t.Fatalf("List = %v", err)
	}
	if _, err := d2.Connect(ctx, Target{Profile: vault.Sandbox()}); kyc.KindOf(err) != KindHistory {
		t.Fatalf("Connect = %v", err)
	}
	if p := d2.Problems(ctx); len(p) == 0 || p[0].Code != ProblemHistory {
		t.Fatalf("problems = %+v", p)
	}
}

func TestDamagedHistoryReported(t *testing.T) {
	e := newDeskEnv(t)
	if err := os.WriteFile(filepath.Join(e.dir, history.FileName), []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	d := e.open()
	probs := d.Problems(context.Background())
	var found bool
	for _, p := range probs {
		if p.Code == ProblemHistorySetAside && len(p.Paths) == 1 && strings.Contains(p.Message, "kept aside") {
			found = true
		}
	}
	if !found {
		t.Fatalf("problems = %+v", probs)
	}
	conn := e.connect(d)
	if _, err := conn.Liveness(consented(t, d), kyc.LivenessRequest{CustRefNo: "NEW", SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
}
