package kyc

import (
	"errors"
	"strings"

	"kycdesk/kyc/nik"
)

// CheckValidation refuses, before anything is sent, a validation request the gateway
// would certainly reject: a NIK that fails its structure, a birth date that is not a
// real DD-MM-YYYY date. The returned *Error has kind invalid_input, outcome failed.
func CheckValidation(req ValidationRequest) *Error {
	n := strings.TrimSpace(req.NIK)
	if n == "" {
		return invalidInput("no NIK")
	}
	if _, err := nik.Parse(n); err != nil {
		e := invalidInput("NIK %s is not valid: %s", nik.Mask(n), nikReason(err))
		e.Err = err
		return e
	}
	if bd := strings.TrimSpace(req.BirthDate); bd != "" {
		if _, err := nik.ParseBirthDate(bd); err != nil {
			return invalidInput("birth date %q is not a real DD-MM-YYYY date", truncate(bd, 20))
		}
	}
	return nil
}

func nikReason(err error) string {
	var ne *nik.Error
	if errors.As(err, &ne) {
		return ne.MessageEN()
	}
	return err.Error()
}
