package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kycdesk/kyc"
)

func TestCataloguesHaveTheSameKeysAndNoEmptyText(t *testing.T) {
	id, en := Keys(ID), Keys(EN)
	for k, v := range id {
		if _, ok := en[k]; !ok {
			t.Errorf("%q missing in en.json", k)
		}
		if strings.TrimSpace(v) == "" {
			t.Errorf("%q empty in id.json", k)
		}
	}
	for k, v := range en {
		if _, ok := id[k]; !ok {
			t.Errorf("%q missing in id.json", k)
		}
		if strings.TrimSpace(v) == "" {
			t.Errorf("%q empty in en.json", k)
		}
		if strings.Count(v, "%") != strings.Count(id[k], "%") {
			t.Errorf("%q: the two languages take different arguments", k)
		}
	}
}

// Every key the app asks for exists: literal T("…") calls, and the key families the app
// builds from data (field.<OCR key>, outcome.<outcome>, set.source.<source>).
func TestEveryKeyTheAppUsesExists(t *testing.T) {
	files, _ := filepath.Glob("../*.go")
	lit := regexp.MustCompile(`"((?:[a-z_]+\.)+[a-z_/0-9]+)"`)
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			k := m[1]
			switch strings.SplitN(k, ".", 2)[0] {
			case "tab", "header", "welcome", "conn", "profiles", "action", "err", "state", "warn", "zone", "ocr", "live", "val",
				"new", "sum", "hist", "outcome", "set", "about", "field", "cam", "keys", "progress", "menu", "resend",
				"consent", "flow", "file", "kind", "single", "zoom", "date", "ho", "sync", "res":
				used[k] = true
			}
		}
	}
	for _, k := range kyc.IdentityKeys {
		used["field."+k] = true
	}
	for _, o := range []string{"success", "rejected", "failed", "unknown", "pending"} {
		used["outcome."+o] = true
	}
	for _, step := range []string{"ocr", "live", "val"} { // the steps build these from their key
		for _, part := range []string{"title", "run", "busy", "idle"} {
			used[step+"."+part] = true
		}
	}
	for _, s := range []string{"builtin", "system", "user", ""} {
		used["set.source."+s] = true
	}
	// Head office: errors by code, the breakdowns by dimension.
	for _, c := range []string{"config", "unavailable", "tls", "auth", "denied", "schema_missing", "not_registered",
		"outlet_mismatch", "invalid", "not_found", "not_unknown", "canceled", "server"} {
		used["ho.err."+c] = true
	}
	for _, c := range []string{"config", "unavailable", "tls", "auth", "denied", "schema_missing", "not_registered", "outlet_mismatch", "server"} {
		used["sync.reason."+c] = true
	}
	for _, d := range []string{"outlet", "counter", "product", "day"} {
		used["ho.by."+d], used["ho.per."+d] = true, true
	}
	if len(used) < 100 {
		t.Fatalf("only %d keys found: the scan is broken", len(used))
	}
	for k := range used {
		if _, ok := Keys(ID)[k]; !ok {
			t.Errorf("key %q is used but not in the catalogues", k)
		}
	}
}

func TestTAndLanguages(t *testing.T) {
	defer Set(ID)
	Set(EN)
	if Current() != EN || T("tab.new") != "New customer" {
		t.Fatal(T("tab.new"))
	}
	Set(ID)
	if T("tab.new") != "Nasabah baru" || T("header.profile", "X") != "Profil: X" || T("no.such.key") != "no.such.key" {
		t.Fatal("T")
	}
	for in, want := range map[string]Lang{"en_US.UTF-8": EN, "en": EN, "id_ID": ID, "C": ID, "": ID, "POSIX": ID, "de_DE": ID} {
		if got := Detect(in); got != want {
			t.Errorf("Detect(%q) = %s", in, got)
		}
	}
	if Parse("EN") != EN || ID.Name() != "Bahasa Indonesia" || EN.Name() != "English" {
		t.Error("Parse/Name")
	}
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_GB.UTF-8")
	if SystemLang() != EN {
		t.Error("en_GB")
	}
	t.Setenv("LANG", "C.UTF-8")
	if SystemLang() != ID {
		t.Error("C.UTF-8 must default to Indonesian")
	}
}
