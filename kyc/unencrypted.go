package kyc

import (
	"net"
	"net/url"
)

// IsUnencrypted reports whether a gateway address would be reached over plain http
// to another machine (a LAN gateway): what the window badges "tidak terenkripsi" and
// the commands report as unencrypted. Loopback never leaves the PC and does not
// count; an address that does not parse is not a gateway at all (false).
func IsUnencrypted(serverURL string) bool {
	u, err := ParseServerURL(serverURL)
	return err == nil && unencrypted(u)
}

func unencrypted(u *url.URL) bool {
	if u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}
