package sandbox

import (
	"strings"
	"time"
)

// process computes a product's result for a parsed request. It returns
// either a result (to wrap in a SUCCESSFUL envelope) or the description of
// an ERROR envelope.
func (s *Server) process(p Product, req request, now time.Time) (any, string) {
	switch p {
	case Liveness:
		return s.liveness(req, now)
	case Recognize:
		return s.recognize(req, now)
	default:
		return s.validation(req, now)
	}
}

func (s *Server) stampAt(now time.Time) stamp {
	trx, ref := s.nextIDs(now)
	return stamp{TrxID: trx, RefID: ref, Timestamp: now.UnixMilli()}
}

// requiredImage decodes a mandatory base64 image field.
func requiredImage(field, value string) ([]byte, string) {
	if strings.TrimSpace(value) == "" {
		return nil, descMissing(field)
	}
	b, err := decodeBase64(value)
	if err != nil || len(b) == 0 {
		return nil, descBadBase64(field)
	}
	return b, ""
}

func boolWord(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// liveness: "True" when the selfie is a plausible photo (see judgeImage).
func (s *Server) liveness(req request, now time.Time) (any, string) {
	img, desc := requiredImage("selfie_image", req.SelfieImage)
	if desc != "" {
		return nil, desc
	}
	v := judgeImage(img)
	return livenessResult{Status: "success", Result: boolWord(v.plausible), stamp: s.stampAt(now)}, ""
}

// recognize: a specimen card the project rendered reads as the person printed
// on it (cards.go); any other plausible image reads as the specimen chosen by
// the image's hash, so the same image always gives the same person; an
// implausible one gives "result": "False" and an empty data object.
func (s *Server) recognize(req request, now time.Time) (any, string) {
	img, desc := requiredImage("id_image", req.IDImage)
	if desc != "" {
		return nil, desc
	}
	v := judgeCard(img)
	res := recognizeResult{Status: "success", Result: boolWord(v.plausible), Data: struct{}{}, stamp: s.stampAt(now)}
	switch {
	case v.card != nil:
		res.Data = ocrOf(*v.card)
	case v.plausible:
		res.Data = ocrOf(specimenForHash(v.hash))
	}
	return res, ""
}

// specimenForHash picks the registry person an image "shows".
func specimenForHash(h uint64) Person {
	return specimens[h%uint64(len(specimens))]
}

// validation compares each submitted field with the registry. A NIK that is
// 16 digits but not in the registry gives nik false, every submitted field
// false and selfie 0: Dukcapil has nothing to compare with. Optional fields
// that were not submitted (absent or blank) are omitted from the answer.
func (s *Server) validation(req request, now time.Time) (any, string) {
	nik := strings.TrimSpace(string(req.NIK))
	if nik == "" {
		return nil, DescNoNIK
	}
	if !allDigits(nik, 16) {
		return nil, DescBadNIK
	}
	var selfie []byte
	if strings.TrimSpace(req.SelfieImage) != "" {
		var desc string
		if selfie, desc = requiredImage("selfie_image", req.SelfieImage); desc != "" {
			return nil, desc
		}
	}
	person, found := registryByNIK[nik]
	m := validationMatch{NIK: found}
	check := func(submitted string, same func(string) bool) *bool {
		if strings.TrimSpace(submitted) == "" {
			return nil
		}
		ok := found && same(submitted)
		return &ok
	}
	m.FullName = check(req.Name, func(v string) bool { return sameText(v, person.Name) })
	m.BirthDate = check(req.BirthDate, func(v string) bool { return sameDate(v, person.BirthDate) })
	m.BirthPlace = check(req.BirthPlace, func(v string) bool { return sameText(v, person.BirthPlace) })
	m.Address = check(req.Address, func(v string) bool { return sameAddress(v, person) })
	if selfie != nil {
		score := selfieScore(judgeImage(selfie), person)
		m.SelfiePhoto = &score
	}
	return validationResult{Status: "success", Data: m, stamp: s.stampAt(now)}, ""
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
