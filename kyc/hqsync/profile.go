package hqsync

import (
	"context"
	"fmt"

	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/vault"
)

// ConfigFromProfile builds the sender's configuration from a profile's sync
// section, with the password read from the keyring at each connection
// (KYCDESK_SYNC_PASSWORD overrides it). The window and the commands both use it.
func ConfigFromProfile(v *vault.Vault, p vault.Profile) (Config, error) {
	if p.Sync == nil {
		return Config{}, hqdb.NewError(hqdb.CodeConfig, "sync", fmt.Errorf("profile %q has no sync section", p.Name))
	}
	s := p.Sync
	t, err := hqdb.FromSection(s.Server, s.Database, s.User, s.CAFile, s.TLS)
	if err != nil {
		return Config{}, err
	}
	name := p.Name
	return Config{Target: t, Outlet: s.Outlet, Counter: s.Counter,
		Password: func(ctx context.Context) (string, error) { return v.SyncPassword(ctx, name) }}, nil
}
