package widgets

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	w := window(t, container.NewVScroll(f), fyne.NewSize(1024, 700))
	f.SetValues(map[string]string{"nik": "3174015408900001", "nama": "BUDI SANTOSO",
		"tanggal_lahir": "14-01-2001", "alamat": "JL. MERDEKA NO. 1"})
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
	test.AssertRendersToMarkup(t, "fieldform/filled.xml", w.Canvas())

	f.Clear()
	for k, v := range f.Values() {
		if v != "" && k != "kewarganegaraan" && v != "WNI" {
			t.Errorf("Clear left %s=%q", k, v)
		}
	}
	for _, ff := range f.fields {
		if ff.hint.Text != "" || ff.hintRow.Visible() || ff.tick.Resource != nil {
			t.Errorf("Clear left a hint or tick on %s", ff.key)
		}
	}
	if h, _ := f.Hint("nope"); h != "" {
		t.Error("unknown key has a hint")
	}
}

func TestFieldFormFocusFirst(t *testing.T) {
	test.NewTempApp(t)
	fields := ektpFields()
	fields[0].ReadOnly = true
	f := NewFieldForm(fields)
	w := window(t, f, fyne.NewSize(1000, 700))
	f.FocusFirst(w.Canvas())
	if w.Canvas().Focused() != f.byKey["nama"].obj {
		t.Errorf("focus on %v, want the first editable field", w.Canvas().Focused())
	}
	// Tab walks down the left column, then the right.
	test.FocusNext(w.Canvas())
	if w.Canvas().Focused() != f.byKey["tempat_lahir"].obj {
		t.Error("Tab does not go down the column")
	}
	f.FocusFirst(nil) // harmless
	f.SetLabel("nama", "Name")
	f.SetLabel("nope", "x")
	if f.byKey["nama"].label.Text != "Name" {
		t.Error("SetLabel did not relabel")
	}
}

func TestFieldFormFitsSmallWindow(t *testing.T) {
	test.NewTempApp(t)
	f := NewFieldForm(ektpFields())
	for _, key := range []string{"nik", "nama", "tanggal_lahir", "alamat"} {
		f.SetHint(key, "A finding of moderate length about this field", Warning)
	}
	// Beside a 340 px image column in a 1024 px window the form gets about 650 px.
	if w := f.MinSize().Width; w > 650 {
		t.Errorf("the form needs %.0f px wide; it must fit next to the image zone at 1024 px", w)
	}
}
