package sandbox

import (
	"testing"

	"kycdesk/kyc/nik"
)

// TestSpecimensAgreeWithNIKPackage parses every specimen NIK with the
// project's own NIK package and checks that sex, birth date and region
// agree with the card, so the sandbox never hands the app data its own
// pre-flight checks would flag. (Test-only dependency: the sandbox itself
// does not import kyc/nik.)
func TestSpecimensAgreeWithNIKPackage(t *testing.T) {
	for _, p := range Specimens() {
		n, err := nik.Parse(p.NIK)
		if err != nil {
			t.Errorf("%s %s: %v", nik.Mask(p.NIK), p.Name, err)
			continue
		}
		wantSex := nik.Male
		if p.Sex == "PEREMPUAN" {
			wantSex = nik.Female
		}
		if n.Sex != wantSex {
			t.Errorf("%s: nik says %v, card %s", nik.Mask(p.NIK), n.Sex, p.Sex)
		}
		if got := n.BirthDate.Format("02-01-2006"); got != p.BirthDate {
			t.Errorf("%s: nik says born %s, card %s", nik.Mask(p.NIK), got, p.BirthDate)
		}
		if !n.Region.KnownDistrict {
			t.Errorf("%s: district %s unknown to kyc/nik", nik.Mask(p.NIK), n.DistrictCode)
		}
		if fs := nik.Consistency(p.NIK, p.Fields()); len(fs) != 0 {
			t.Errorf("%s: consistency findings %+v", nik.Mask(p.NIK), fs)
		}
	}
}
