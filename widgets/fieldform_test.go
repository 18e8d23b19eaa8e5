package widgets

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// ektpFields is a form like the app's: the 16 fields of an eKTP.
func ektpFields() []Field {
	labels := []struct{ key, label string }{
		{"nik", "NIK"}, {"nama", "Nama"}, {"tempat_lahir", "Tempat lahir"}, {"tanggal_lahir", "Tanggal lahir"},
		{"jenis_kelamin", "Jenis kelamin"}, {"golongan_darah", "Gol. darah"}, {"alamat", "Alamat"},
		{"rt_rw", "RT/RW"}, {"kelurahan", "Kel/Desa"}, {"kecamatan", "Kecamatan"}, {"agama", "Agama"},
		{"status_perkawinan", "Status perkawinan"}, {"pekerjaan", "Pekerjaan"},
		{"kewarganegaraan", "Kewarganegaraan"}, {"berlaku_hingga", "Berlaku hingga"}, {"provinsi", "Provinsi"},
	}
	out := make([]Field, 0, len(labels))
	for _, l := range labels {
		out = append(out, Field{Key: l.key, Label: l.label})
	}
	out[0].NIK = true
	out[6].Multiline = true
	out[13].ReadOnly = true
	out[13].Value = "WNI"
	return out
}

func TestFieldFormValuesAndChanges(t *testing.T) {
	test.NewTempApp(t)
	f := NewFieldForm(ektpFields())
	window(t, f, fyne.NewSize(1000, 700))

	var changed []string
	f.OnChanged = func(k, v string) { changed = append(changed, k+"="+v) }
	f.SetValues(map[string]string{"nik": "3174 0154 0890 0001", "nama": "BUDI SANTOSO", "nope": "x"})
	if len(changed) != 0 {
		t.Errorf("SetValue reported changes: %v", changed)
	}
	v := f.Values()
	if len(v) != 16 || v["nik"] != "3174015408900001" || v["nama"] != "BUDI SANTOSO" || v["kewarganegaraan"] != "WNI" {
		t.Errorf("values %v", v)
	}
	if f.Value("nope") != "" || f.Entry("nope") != nil {
		t.Error("an unknown key has a value or entry")
	}

	test.Type(f.Entry("nama"), "X")
	test.Type(f.byKey["nik"].obj, "9") // full: refused
	if fmt.Sprint(changed) != "[nama=XBUDI SANTOSO]" {
		t.Errorf("changes %v", changed)
	}
	if !f.Entry("kewarganegaraan").Disabled() {
		t.Error("a read-only field is editable")
	}
}

func TestFieldFormHintsTicksClear(t *testing.T) {
	test.NewTempApp(t)
	f := NewFieldForm(ektpFields())
	w := window(t, f, fyne.NewSize(1024, 700))
	f.SetValues(map[string]string{"nik": "3174015408900001", "nama": "BUDI SANTOSO",
		"tanggal_lahir": "14-01-2001", "alamat": "JL. MERDEKA NO. 1"})
	before := positions(f)
	hints := 0
	f.OnHints = func() { hints++ }
	f.SetHint("tanggal_lahir", "NIK says born 14-01-2001", OK)
	f.SetHint("nik", "Region 31.74 = Jakarta Selatan", Neutral)
	f.SetHint("nama", "Differs from the registry", Error)
	f.SetTick("nik", Tick(true))
	f.SetTick("nama", Tick(false))
	f.SetHint("nope", "x", Error) // ignored
	f.SetTick("nope", nil)
	if h, s := f.Hint("nama"); h != "Differs from the registry" || s != Error {
		t.Errorf("hint %q %v", h, s)
	}
	if hints != 3 {
		t.Errorf("OnHints called %d times", hints)
	}
	// A finding never moves a field (a click aimed at the next field must land there).
	w.Canvas().Content().Refresh()
	if after := positions(f); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("hints moved the fields:\n%v\n%v", before, after)
	}
	got := f.Hints()
	if len(got) != 3 || got[0].Key != "nik" || got[0].Label != "NIK" || got[1].Key != "nama" || got[1].Severity != Error {
		t.Errorf("hints %+v", got)
	}
	test.AssertRendersToMarkup(t, "fieldform/filled.xml", w.Canvas())

	f.Clear()
	for k, v := range f.Values() {
		if v != "" && k != "kewarganegaraan" && v != "WNI" {
			t.Errorf("Clear left %s=%q", k, v)
		}
	}
	for _, ff := range f.fields {
		if ff.hint != "" || ff.hintIcon.Resource != nil || ff.tick.Resource != nil {
			t.Errorf("Clear left a hint or tick on %s", ff.spec.Key)
		}
	}
	if len(f.Hints()) != 0 {
		t.Error("hints after Clear")
	}
}

// positions maps each field to where its entry is.
func positions(f *FieldForm) map[string]fyne.Position {
	out := map[string]fyne.Position{}
	for _, ff := range f.fields {
		out[ff.spec.Key] = ff.cell.Position()
	}
	return out
}

func TestFieldFormFocusFirstAndTabOrder(t *testing.T) {
	test.NewTempApp(t)
	fields := ektpFields()
	fields[0].ReadOnly = true
	f := NewFieldForm(fields)
	w := window(t, f, fyne.NewSize(1000, 700))
	f.FocusFirst(w.Canvas())
	if w.Canvas().Focused() != f.byKey["nama"].obj {
		t.Errorf("focus on %v, want the first editable field", w.Canvas().Focused())
	}
	// Tab follows the fields' order (across a row of two, then down).
	test.FocusNext(w.Canvas())
	if w.Canvas().Focused() != f.byKey["tempat_lahir"].obj {
		t.Error("Tab does not follow the fields' order")
	}
	f.FocusFirst(nil) // harmless
	f.SetLabel("nama", "Name")
	f.SetLabel("nope", "x")
	if f.Label("nama") != "Name" {
		t.Error("SetLabel did not relabel")
	}
}

// Two columns where there is room, one where there is not; the minimum width always
// fits a whole NIK beside its label.
func TestFieldFormColumnsFollowTheWidth(t *testing.T) {
	test.NewTempApp(t)
	f := NewFieldForm(ektpFields())
	w := window(t, f, fyne.NewSize(1000, 700))
	if f.Columns() != 2 {
		t.Errorf("%d columns at 1000 px", f.Columns())
	}
	w.Resize(fyne.NewSize(480, 700))
	w.Canvas().Content().Refresh()
	if f.Columns() != 1 {
		t.Errorf("%d columns at 480 px", f.Columns())
	}
	if mw := f.MinSize().Width; mw > 420 {
		t.Errorf("the form needs %.0f px; it must fit beside the card at 1024 px", mw)
	}
	nik := f.byKey["nik"].obj
	if need := fyne.MeasureText("3174015408900001", 14, fyne.TextStyle{}).Width; nik.Size().Width < need {
		t.Errorf("the NIK entry is %.0f px, a NIK needs %.0f", nik.Size().Width, need)
	}
}
