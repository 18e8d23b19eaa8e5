package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestMainWindowShowsProfileAndSandboxBadge(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a, Target{Profile: "Sandbox", Server: "sandbox (built-in, offline)", Sandbox: true})
	defer w.Close()
	if w.Title() != "KYC Desk" {
		t.Fatalf("title %q", w.Title())
	}
	texts := texts(w.Content())
	for _, want := range []string{"Profil / Profile: Sandbox", "Gateway: sandbox (built-in, offline)", " SANDBOX "} {
		if !texts[want] {
			t.Errorf("missing %q in %v", want, texts)
		}
	}
}

func TestProductionProfileHasNoBadge(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewMainWindow(a, Target{Profile: "Outlet 12", Server: "https://kyc.example.co.id", Problem: "profiles.json is damaged"})
	defer w.Close()
	texts := texts(w.Content())
	if texts[" SANDBOX "] {
		t.Error("SANDBOX badge on a production profile")
	}
	if !texts["⚠ profiles.json is damaged"] {
		t.Errorf("problem not shown: %v", texts)
	}
}

// texts collects every label and canvas text in the laid-out tree.
func texts(o fyne.CanvasObject) map[string]bool {
	out := map[string]bool{}
	for _, x := range test.LaidOutObjects(o) {
		switch v := x.(type) {
		case *widget.Label:
			out[v.Text] = true
		case *canvas.Text:
			out[v.Text] = true
		}
	}
	return out
}
