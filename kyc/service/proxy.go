package service

import (
	"context"
	"errors"
	"net/url"

	"kycdesk/kyc"
	"kycdesk/kyc/proxy"
	"kycdesk/kyc/vault"
)

// proxyOptions makes the client follow the profile's proxy setting (system, direct or
// a proxy URL) and take that proxy's credentials from the keyring. Every path to a
// gateway (the window, the commands) goes through Connect, so all of them get it.
func proxyOptions(v *vault.Vault, p vault.Profile) []kyc.Option {
	r := proxy.NewResolver(p.ProxySetting(), proxy.Options{})
	return []kyc.Option{kyc.WithProxy(r.Route), kyc.WithProxyAuth(v.ProxyAuth)}
}

// ProxyStatus is how calls to a profile's gateway would go right now, for Settings
// and `kycdesk proxy status`.
type ProxyStatus struct {
	Profile string
	Server  string
	// Setting is the profile's field as written: "system", "direct" or a proxy URL.
	Setting string
	// Route is the decision for the profile's gateway (Route.Proxy nil: direct).
	Route proxy.Route
	// Key is the proxy's "host:port", under which its credentials are stored.
	Key string
	// User is the stored user name ("" when none); the password is never returned.
	User string
	// CredentialsErr is set when the keyring could not be asked.
	CredentialsErr error
}

// CheckProxy resolves the route to p's gateway and looks up the stored credentials.
// The built-in sandbox is always direct.
func CheckProxy(ctx context.Context, v *vault.Vault, p vault.Profile) (ProxyStatus, error) {
	st := ProxyStatus{Profile: p.Name, Server: p.ServerURL, Setting: p.ProxySetting().String()}
	if p.IsSandbox() {
		st.Route = proxy.Route{Via: "built-in sandbox, on this PC"}
		return st, nil
	}
	target, err := url.Parse(p.ServerURL)
	if err != nil {
		return st, err
	}
	st.Route, err = proxy.NewResolver(p.ProxySetting(), proxy.Options{}).Route(ctx, target)
	if err != nil || st.Route.Proxy == nil {
		return st, err
	}
	st.Key = proxy.Key(st.Route.Proxy)
	if st.Route.Proxy.User != nil {
		// From HTTPS_PROXY=http://user:pw@host: the environment's own credentials win.
		st.User = st.Route.Proxy.User.Username()
		return st, nil
	}
	user, _, err := v.ProxyCredentials(ctx, st.Key)
	switch {
	case err == nil:
		st.User = user
	case !errors.Is(err, vault.ErrNotFound):
		st.CredentialsErr = err
	}
	return st, nil
}
