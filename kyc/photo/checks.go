package photo

import (
	"fmt"
	"image"
)

// check runs the pre-flight checks on the prepared (upright, downscaled) image. sourceLong is the
// source's long edge, which decides "too small" (the prepared image is capped, the source is not).
func check(img image.Image, kind Kind, sourceLong int) ([]Finding, []image.Rectangle) {
	luma := lumaOf(img)
	defer putGray(luma)
	g := fitGrey(luma)
	s := measure(g)
	var fs []Finding
	add := func(f Finding) { fs = append(fs, f) }

	minLong, blurLimit := MinLongEdgeID, float64(BlurLimitID)
	if kind == KindSelfie {
		minLong, blurLimit = MinLongEdgeSelfie, float64(BlurLimitSelfie)
	}
	if sourceLong < minLong {
		add(findTooSmall(kind, sourceLong, minLong))
	}
	if s.Sharpness < blurLimit {
		add(Finding{Code: FindingBlurred, Severity: SeverityWarning, Value: s.Sharpness, Limit: blurLimit,
			MessageID: "Foto buram. Pegang kamera dengan stabil, pastikan fokus, lalu foto ulang.",
			MessageEN: "The photo is blurred. Hold the camera steady, make sure it is in focus, and retake it."})
	}
	switch {
	case s.Mean < DarkError:
		add(Finding{Code: FindingTooDark, Severity: SeverityError, Value: s.Mean, Limit: DarkError,
			MessageID: "Foto hampir hitam. Periksa lensa kamera dan pencahayaan, lalu foto ulang.",
			MessageEN: "The photo is almost black. Check the camera lens and the lighting, then retake it."})
	case s.Mean < DarkWarn:
		add(Finding{Code: FindingTooDark, Severity: SeverityWarning, Value: s.Mean, Limit: DarkWarn,
			MessageID: "Foto terlalu gelap. Tambah pencahayaan lalu foto ulang.",
			MessageEN: "The photo is too dark. Add light and retake it."})
	case s.Mean > BrightError:
		add(Finding{Code: FindingOverexposed, Severity: SeverityError, Value: s.Mean, Limit: BrightError,
			MessageID: "Foto hampir putih seluruhnya. Kurangi cahaya lalu foto ulang.",
			MessageEN: "The photo is almost entirely white. Reduce the light and retake it."})
	case s.Mean > BrightWarn || s.Clipped > BrightClippedShare:
		add(Finding{Code: FindingOverexposed, Severity: SeverityWarning, Value: s.Mean, Limit: BrightWarn,
			MessageID: "Foto terlalu terang. Kurangi cahaya langsung lalu foto ulang.",
			MessageEN: "The photo is overexposed. Reduce direct light and retake it."})
	}
	if kind == KindID && s.Clipped > GlareShareID {
		add(Finding{Code: FindingGlare, Severity: SeverityWarning, Value: s.Clipped, Limit: GlareShareID,
			MessageID: "Ada pantulan cahaya (silau) pada e-KTP. Miringkan kartu sedikit atau hindari lampu langsung.",
			MessageEN: "There is glare on the card. Tilt it slightly or avoid direct light."})
	}
	if s.Spread < LowContrastSpread {
		add(Finding{Code: FindingLowContrast, Severity: SeverityWarning, Value: s.Spread, Limit: LowContrastSpread,
			MessageID: "Kontras foto rendah; detail dan teks sulit terbaca.",
			MessageEN: "The photo has low contrast; details and text are hard to read."})
	}
	var faces []image.Rectangle
	if kind == KindSelfie {
		faces = detectFaces(img, luma, g)
		fs = append(fs, faceFindings(faces)...)
	}
	return fs, faces
}

func findTooSmall(kind Kind, got, want int) Finding {
	what, whatEN := "e-KTP", "ID"
	if kind == KindSelfie {
		what, whatEN = "swafoto", "selfie"
	}
	return Finding{Code: FindingTooSmall, Severity: SeverityError, Value: float64(got), Limit: float64(want),
		MessageID: fmt.Sprintf("Foto %s terlalu kecil (%d px; minimal %d px di sisi panjang). Foto ulang lebih dekat atau dengan resolusi lebih tinggi.", what, got, want),
		MessageEN: fmt.Sprintf("The %s photo is too small (%d px; at least %d px on the long edge). Retake it closer or at a higher resolution.", whatEN, got, want)}
}

func faceFindings(faces []image.Rectangle) []Finding {
	switch {
	case len(faces) == 0:
		return []Finding{{Code: FindingNoFace, Severity: SeverityWarning, Value: 0, Limit: 1,
			MessageID: "Wajah tidak ditemukan. Pastikan wajah menghadap kamera, terlihat jelas dan cukup besar.",
			MessageEN: "No face found. Make sure the face looks at the camera, is clearly visible and large enough."}}
	case len(faces) > 1:
		return []Finding{{Code: FindingSeveralFaces, Severity: SeverityWarning, Value: float64(len(faces)), Limit: 1,
			MessageID: fmt.Sprintf("Terdeteksi %d wajah. Pastikan hanya satu orang di foto.", len(faces)),
			MessageEN: fmt.Sprintf("%d faces detected. Make sure only one person is in the photo.", len(faces))}}
	}
	side := min(faces[0].Dx(), faces[0].Dy())
	if side < MinFaceSide {
		return []Finding{{Code: FindingFaceTooSmall, Severity: SeverityWarning, Value: float64(side), Limit: MinFaceSide,
			MessageID: fmt.Sprintf("Wajah terlalu kecil (%d px; minimal %d px). Dekatkan kamera ke wajah.", side, MinFaceSide),
			MessageEN: fmt.Sprintf("The face is too small (%d px; at least %d px). Move the camera closer to the face.", side, MinFaceSide)}}
	}
	return nil
}
