package vault

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"kycdesk/kyc/proxy"
)

// ProxyService is the keyring service proxy credentials are stored under, apart from
// tokens and history keys ("kycdesk"), with the proxy's "host:port" as the user name:
// credentials belong to a proxy, not to a profile, so every profile going through the
// same proxy (explicitly or by the system's settings) finds them.
const ProxyService = "kycdesk-proxy"

// proxyKey normalises a proxy address ("proxy.corp:8080", "http://Proxy.Corp:8080/")
// to its keyring name, "proxy.corp:8080".
func proxyKey(addr string) (string, error) {
	u, err := proxy.ParseProxyURL(addr)
	if err != nil {
		return "", fmt.Errorf("vault: %w", err)
	}
	return proxy.Key(u), nil
}

// ProxyKey returns the keyring name of a proxy address ("host:port"), for displays.
func ProxyKey(addr string) (string, error) { return proxyKey(addr) }

// checkProxyCredentials refuses what Basic authentication cannot carry. The errors
// never contain the password.
func checkProxyCredentials(user, password string) error {
	switch {
	case user == "":
		return errors.New("vault: the proxy user name is empty")
	case strings.Contains(user, ":"):
		return errors.New(`vault: the proxy user name must not contain ":" (Basic authentication cannot carry it)`)
	case password == "":
		return errors.New("vault: the proxy password is empty")
	case len(user)+len(password)+1 > MaxTokenBytes:
		return fmt.Errorf("vault: the proxy user name and password are longer than %d bytes together", MaxTokenBytes)
	}
	for _, r := range user + password {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return errors.New("vault: the proxy user name or password contains control characters")
		}
	}
	return nil
}

// SetProxyCredentials stores the user name and password for the proxy at addr (a URL
// or host:port) in the keyring of the current user.
func (v *Vault) SetProxyCredentials(ctx context.Context, addr, user, password string) error {
	key, err := proxyKey(addr)
	if err != nil {
		return err
	}
	user = strings.TrimSpace(user)
	password = strings.TrimRight(password, "\r\n")
	if err := checkProxyCredentials(user, password); err != nil {
		return err
	}
	return v.kr.do(ctx, "set", key, func(b Backend) error { return b.Set(ProxyService, key, user+":"+password) })
}

// ProxyCredentials returns what is stored for the proxy at addr. Nothing stored is an
// error matching ErrNotFound.
func (v *Vault) ProxyCredentials(ctx context.Context, addr string) (user, password string, err error) {
	key, err := proxyKey(addr)
	if err != nil {
		return "", "", err
	}
	var secret string
	err = v.kr.do(ctx, "get", key, func(b Backend) error {
		var err error
		secret, err = b.Get(ProxyService, key)
		return err
	})
	if err != nil {
		return "", "", err
	}
	user, password, ok := strings.Cut(secret, ":")
	if !ok || user == "" {
		return "", "", newErr(CodeKeyring, "get", key, v.KeyringName(), errors.New("the stored proxy credentials are not user:password; set them again"))
	}
	return user, password, nil
}

// ClearProxyCredentials removes the credentials of the proxy at addr; it reports
// whether there were any.
func (v *Vault) ClearProxyCredentials(ctx context.Context, addr string) (bool, error) {
	key, err := proxyKey(addr)
	if err != nil {
		return false, err
	}
	err = v.kr.do(ctx, "delete", key, func(b Backend) error { return b.Delete(ProxyService, key) })
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// ProxyAuth looks up the credentials for whichever proxy a request goes through, in
// the shape of kyc.WithProxyAuth: nothing stored is no credentials, not an error (the
// proxy may not need any; if it does, its 407 says so).
func (v *Vault) ProxyAuth(ctx context.Context, proxyURL *url.URL) (*url.Userinfo, error) {
	user, password, err := v.ProxyCredentials(ctx, proxyURL.String())
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return url.UserPassword(user, password), nil
}
