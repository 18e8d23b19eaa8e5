// The History screen's detail panel: one call's clear fields, its answer in words
// (each validation field, the face score), its consent, its resolution and kept photos.

package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // kept photos are JPEGs
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/widgets"
)

// show fills the detail panel with the clear fields of one call.
func (h *historyScreen) show(row int) {
	if row < 0 || row >= len(h.rows) {
		return
	}
	h.selected = row
	r := h.rows[row]
	// The outcome and the answer first: they are what the clerk looks for.
	lines := append([]string{i18n.T("hist.d.outcome", outcomeWord(r.Outcome))}, verdictLines(r, h.u.threshold())...)
	lines = append(lines,
		i18n.T("hist.d.ref", r.CustRefNo),
		i18n.T("hist.d.time", dateTimeSeconds(r.CreatedAt)),
		i18n.T("hist.d.product", productWord(r.Product)),
		i18n.T("hist.d.profile", r.Profile),
	)
	add := func(key, v string) {
		if v != "" && v != "0" {
			lines = append(lines, i18n.T(key, v))
		}
	}
	if r.ErrorKind != "" {
		add("hist.d.error", kindWord(r.ErrorKind))
	}
	add("hist.d.http", fmt.Sprint(r.HTTPStatus))
	add("hist.d.attempts", fmt.Sprint(r.Attempts))
	add("hist.d.trx", r.TrxID)
	add("hist.d.refid", r.RefID)
	add("hist.d.nik", r.NIKMasked)
	if r.Duration > 0 {
		add("hist.d.duration", seconds(r.Duration))
	}
	if l := consentText(r.Consent); l != "" {
		lines = append(lines, l)
	}
	switch res := r.Resolution; {
	case res.Resolved():
		lines = append(lines, "", resolutionText(res))
		if res.Note != "" {
			lines = append(lines, i18n.T("hist.d.res_note", res.Note))
		}
	case r.Outcome == history.OutcomeUnknown || r.Outcome == history.OutcomePending:
		lines = append(lines, "", "⚠ "+i18n.T("hist.d.unknown", r.CustRefNo))
	}
	h.detail.SetText(strings.Join(lines, "\n"))
	h.findPhotos(r)
}

// verdict is a successful call's answer in words: what History shows beside BERHASIL,
// so an answer of "no" is never hidden behind a success.
type verdict struct {
	word  string
	ok    bool
	known bool
}

// verdictOf reads the answer from the record's opened sealed result.
func verdictOf(r history.Record, threshold float64) verdict {
	if r.Outcome != history.OutcomeSuccess || r.Personal == nil || r.Personal.Result == nil {
		return verdict{}
	}
	res := r.Personal.Result
	switch kyc.Product(r.Product) {
	case kyc.ProductLiveness:
		if res["live"] == "true" {
			return verdict{i18n.T("live.live"), true, true}
		}
		return verdict{i18n.T("live.not_live"), false, true}
	case kyc.ProductIDRecognize:
		return verdict{i18n.T("ocr.read"), true, true}
	case kyc.ProductIDValidation:
		ok := true
		for _, k := range matchKeys {
			if res[k.key] == "false" {
				ok = false
			}
		}
		if v, err := strconv.ParseFloat(res["selfie_photo"], 64); err == nil && v < threshold {
			ok = false
		}
		if ok {
			return verdict{i18n.T("val.passed"), true, true}
		}
		return verdict{i18n.T("val.failed"), false, true}
	}
	return verdict{}
}

// matchKeys are the validation verdicts as the history keeps them, with their fields.
var matchKeys = []struct{ key, field string }{
	{"match_nik", "nik"}, {"match_full_name", "nama"}, {"match_birth_date", "tanggal_lahir"},
	{"match_birth_place", "tempat_lahir"}, {"match_address", "alamat"},
}

// verdictLines details the answer: each field's match and the face score against the
// pass mark (validation), the liveness verdict, how many fields were read (OCR).
func verdictLines(r history.Record, threshold float64) []string {
	if r.Outcome != history.OutcomeSuccess {
		return nil
	}
	if r.Personal == nil || r.Personal.Result == nil {
		if r.Personal != nil && r.Personal.Unreadable["result"] != nil {
			return []string{i18n.T("hist.d.sealed")}
		}
		return nil
	}
	v := verdictOf(r, threshold)
	lines := []string{i18n.T("hist.d.verdict", v.word)}
	res := r.Personal.Result
	switch kyc.Product(r.Product) {
	case kyc.ProductIDValidation:
		for _, k := range matchKeys {
			mark, word := "–", i18n.T("val.not_checked")
			switch res[k.key] {
			case "true":
				mark, word = "✓", i18n.T("val.match")
			case "false":
				mark, word = "✗", i18n.T("val.no_match")
			}
			lines = append(lines, "  "+mark+" "+i18n.T("field."+k.field)+": "+word)
		}
		if f, err := strconv.ParseFloat(res["selfie_photo"], 64); err == nil {
			mark := "✓"
			if f < threshold {
				mark = "✗"
			}
			lines = append(lines, "  "+mark+" "+i18n.T("val.face")+": "+i18n.T("val.face_score", number(f), number(threshold)))
		}
	case kyc.ProductIDRecognize:
		n := 0
		for _, v := range res {
			if strings.TrimSpace(v) != "" {
				n++
			}
		}
		lines = append(lines, i18n.T("hist.d.fields_read", n))
	}
	return lines
}

// findPhotos shows the kept-photos button when the chosen call has photos on record
// (the merchant keeps them, sealed; they are opened only when asked for).
func (h *historyScreen) findPhotos(r history.Record) {
	h.photos.Hide()
	if h.u.deps.Photos == nil || len(r.Images) == 0 {
		return
	}
	id := r.ID
	h.photos.OnTapped = func() { h.showPhotos(id) }
	h.photos.Show()
}

// showPhotos opens the kept photos in a dialog, decrypted and decoded off the UI
// goroutine, zoomable.
func (h *historyScreen) showPhotos(id int64) {
	src := h.u.deps.Photos
	go func() {
		kept, err := src.KeptImages(context.Background(), id)
		var imgs []image.Image
		if err == nil {
			for _, k := range kept {
				if img, _, derr := image.Decode(bytes.NewReader(k.JPEG)); derr == nil {
					imgs = append(imgs, img)
				}
			}
		}
		uiDo(func() {
			if len(imgs) == 0 {
				h.u.showError(i18n.T("hist.photos"), i18n.T("hist.photos_failed"))
				return
			}
			grid := container.NewGridWithColumns(len(imgs))
			for _, img := range imgs {
				z := widgets.NewZoomImage()
				z.SetImage(img)
				grid.Add(z)
			}
			m := widgets.NewModal(h.u.win, i18n.T("hist.photos"), grid,
				[]widgets.ModalButton{{Label: i18n.T("action.close"), Importance: widget.HighImportance}}, 0, 0)
			m.Show()
			ws := h.u.win.Canvas().Size()
			m.Resize(fyne.NewSize(ws.Width*0.9, ws.Height*0.9))
		})
	}()
}

// resolutionText says who settled an unknown outcome, how and when: "Diselesaikan
// kantor pusat: tidak dikenai biaya. Oleh finance1, 01-12-2026 14:03."
func resolutionText(r history.Resolution) string {
	key := "hist.d.resolved_ho"
	if r.Source == history.ResolvedAtCounter {
		key = "hist.d.resolved_counter"
	}
	return i18n.T(key, resolutionWord(r.Value), r.By, dateTime(r.At))
}

// consentText says when, to which text and by whom the customer's consent was
// confirmed for a call.
func consentText(c history.Consent) string {
	if !c.Given() {
		return ""
	}
	return i18n.T("hist.d.consent", dateTime(c.At), c.Version, c.User)
}
