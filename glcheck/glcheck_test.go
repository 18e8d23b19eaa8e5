package glcheck

import (
	"strings"
	"testing"
)

func TestMessagesNameTheFixesInBothLanguages(t *testing.T) {
	p := &Problem{Kind: NoOpenGL, Detail: "APIUnavailable: WGL: The driver does not appear to support OpenGL"}
	want := map[string][]string{
		"en": {"OpenGL 2.1", "graphics driver", "3D acceleration", "Remote Desktop", "RemoteFX", "opengl32.dll", "kycdesk.exe",
			"commands without a window keep working", "Remote Desktop, VDI and virtual machines"},
		"id": {"OpenGL 2.1", "driver kartu grafis", "akselerasi 3D", "Remote Desktop", "RemoteFX", "opengl32.dll", "kycdesk.exe",
			"Perintah tanpa jendela tetap berfungsi", "Remote Desktop, VDI and virtual machines"},
	}
	for lang, words := range want {
		title, body := message(p, lang, "windows")
		for _, w := range words {
			if !strings.Contains(title+body, w) {
				t.Errorf("%s (windows) lacks %q:\n%s\n%s", lang, w, title, body)
			}
		}
	}
	for _, lang := range []string{"en", "id"} {
		_, body := message(p, lang, "linux")
		if !strings.Contains(body, "LIBGL_ALWAYS_SOFTWARE=1") || !strings.Contains(body, "GLX") {
			t.Errorf("%s (linux): %s", lang, body)
		}
		title, body := message(&Problem{Kind: NoDisplay}, lang, "linux")
		if !strings.Contains(body, "DISPLAY") || !strings.Contains(body, "kycdesk liveness") || title == "" {
			t.Errorf("%s no display: %s", lang, body)
		}
	}
	if tid, _ := message(p, "fr", "windows"); !strings.Contains(tid, "tidak dapat") {
		t.Errorf("an unknown language must fall back to Indonesian: %s", tid)
	}
}

func TestLanguageChoice(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	cases := map[string]string{"en": "en", "EN-us": "en", "id": "id", "": "en"}
	for pref, want := range cases {
		if got := pickLang(pref); got != want {
			t.Errorf("pickLang(%q) with LANG=en_US = %q, want %q", pref, got, want)
		}
	}
	for _, locale := range []string{"C", "id_ID.UTF-8", "", "de_DE.UTF-8"} {
		t.Setenv("LANG", locale)
		if got := pickLang(""); got != "id" {
			t.Errorf("LANG=%q → %q, want id", locale, got)
		}
	}
}
