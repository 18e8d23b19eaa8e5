package hq

import (
	"context"
	"errors"
	"fmt"

	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/vault"
)

// OpenProfile connects with a profile's head_office section and the
// password kept for it in the keyring (KYCDESK_HQ_PASSWORD overrides it):
// the one way the Kantor pusat screen and `kycdesk report` connect.
// A profile without the section is a CodeConfig error (the screen is then
// not shown at all: check p.HeadOffice != nil first).
func OpenProfile(ctx context.Context, v *vault.Vault, p vault.Profile) (*Client, error) {
	if p.HeadOffice == nil {
		return nil, hqdb.NewError(hqdb.CodeConfig, "connect", fmt.Errorf(
			"profile %q has no head_office section (server, database, user)", p.Name))
	}
	h := p.HeadOffice
	t, err := hqdb.FromSection(h.Server, h.Database, h.User, h.CAFile, h.TLS)
	if err != nil {
		return nil, err
	}
	if t.Password, err = v.HeadOfficePassword(ctx, p.Name); err != nil {
		if errors.Is(err, vault.ErrNotFound) { // its message names the command that stores it
			return nil, hqdb.NewError(hqdb.CodeConfig, "connect", err)
		}
		return nil, hqdb.NewError(hqdb.CodeConfig, "connect", fmt.Errorf("head office password of profile %q: %w (kycdesk hq password)", p.Name, err))
	}
	t.ApplicationName = "kycdesk head office"
	return Open(ctx, t)
}
