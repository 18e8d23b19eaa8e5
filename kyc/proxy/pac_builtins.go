package proxy

import (
	"encoding/binary"
	"net"
	"strings"
	"time"
)

// The standard PAC functions (Netscape's 1996 definition, as every browser and
// WinHTTP implement them).
var pacBuiltins = map[string]builtin{
	"isPlainHostName": func(_ *interp, a []any) (any, error) {
		return !strings.Contains(argS(a, 0), "."), nil
	},
	"dnsDomainIs": func(_ *interp, a []any) (any, error) {
		return strings.HasSuffix(strings.ToLower(argS(a, 0)), strings.ToLower(argS(a, 1))), nil
	},
	"localHostOrDomainIs": func(_ *interp, a []any) (any, error) {
		host, hostdom := strings.ToLower(argS(a, 0)), strings.ToLower(argS(a, 1))
		if host == hostdom {
			return true, nil
		}
		return !strings.Contains(host, ".") && strings.HasPrefix(hostdom, host+"."), nil
	},
	"isResolvable": func(in *interp, a []any) (any, error) {
		return in.resolve(argS(a, 0)) != "", nil
	},
	"dnsResolve": func(in *interp, a []any) (any, error) {
		if ip := in.resolve(argS(a, 0)); ip != "" {
			return ip, nil
		}
		return nil, nil
	},
	"myIpAddress": func(in *interp, _ []any) (any, error) { return in.env.myIP(), nil },
	"isInNet": func(in *interp, a []any) (any, error) {
		ip := net.ParseIP(in.resolve(argS(a, 0))).To4()
		pat, mask := net.ParseIP(argS(a, 1)).To4(), net.ParseIP(argS(a, 2)).To4()
		if ip == nil || pat == nil || mask == nil {
			return false, nil
		}
		m := binary.BigEndian.Uint32(mask)
		return binary.BigEndian.Uint32(ip)&m == binary.BigEndian.Uint32(pat)&m, nil
	},
	"convert_addr": func(_ *interp, a []any) (any, error) {
		ip := net.ParseIP(argS(a, 0)).To4()
		if ip == nil {
			return float64(0), nil
		}
		return float64(binary.BigEndian.Uint32(ip)), nil
	},
	"dnsDomainLevels": func(_ *interp, a []any) (any, error) {
		return float64(strings.Count(argS(a, 0), ".")), nil
	},
	"shExpMatch": func(_ *interp, a []any) (any, error) {
		return shellMatch(argS(a, 1), argS(a, 0)), nil
	},
	"weekdayRange": func(in *interp, a []any) (any, error) {
		args, now := timeArgs(in, a)
		days := []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
		idx := func(s string) int {
			for i, d := range days {
				if strings.EqualFold(s, d) {
					return i
				}
			}
			return -1
		}
		if len(args) == 0 {
			return false, nil
		}
		lo, hi := idx(toString(args[0])), idx(toString(args[0]))
		if len(args) > 1 {
			hi = idx(toString(args[1]))
		}
		if lo < 0 || hi < 0 {
			return false, nil
		}
		return inRange(int(now.Weekday()), lo, hi), nil
	},
	"timeRange": func(in *interp, a []any) (any, error) {
		args, now := timeArgs(in, a)
		n := make([]int, len(args))
		for i, x := range args {
			n[i] = int(toNumber(x))
		}
		secs := now.Hour()*3600 + now.Minute()*60 + now.Second()
		switch len(n) {
		case 1:
			return now.Hour() == n[0], nil
		case 2:
			return inRange(now.Hour(), n[0], n[1]-1) || n[0] == n[1] && now.Hour() == n[0], nil
		case 4:
			return inRange(secs, n[0]*3600+n[1]*60, n[2]*3600+n[3]*60-1), nil
		case 6:
			return inRange(secs, n[0]*3600+n[1]*60+n[2], n[3]*3600+n[4]*60+n[5]), nil
		}
		return false, nil
	},
	"dateRange": func(in *interp, a []any) (any, error) {
		args, now := timeArgs(in, a)
		months := []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
		// Each argument is a day (1-31), a month name or a year (>31); the forms are
		// one value (that day/month/year) or a range of two values of the same kind.
		val := func(x any) (kind string, v int) {
			if s, ok := x.(string); ok {
				for i, m := range months {
					if strings.EqualFold(s, m) {
						return "month", i + 1
					}
				}
				return "", 0
			}
			n := int(toNumber(x))
			if n > 31 {
				return "year", n
			}
			return "day", n
		}
		cur := map[string]int{"day": now.Day(), "month": int(now.Month()), "year": now.Year()}
		switch len(args) {
		case 1:
			k, v := val(args[0])
			return k != "" && cur[k] == v, nil
		case 2:
			k1, v1 := val(args[0])
			k2, v2 := val(args[1])
			return k1 != "" && k1 == k2 && inRange(cur[k1], v1, v2), nil
		}
		return false, nil
	},
	"alert": func(*interp, []any) (any, error) { return undefined, nil },
}

func argS(a []any, i int) string {
	if i < len(a) {
		if a[i] == nil || a[i] == any(undefined) {
			return ""
		}
		return toString(a[i])
	}
	return ""
}

// timeArgs drops a trailing "GMT" and returns the clock it asks for.
func timeArgs(in *interp, a []any) ([]any, time.Time) {
	now := in.env.now()
	if n := len(a); n > 0 {
		if s, ok := a[n-1].(string); ok && strings.EqualFold(s, "GMT") {
			return a[:n-1], now.UTC()
		}
	}
	return a, now
}

// inRange is lo <= v <= hi, wrapping around when lo > hi (FRI-MON, 22-6).
func inRange(v, lo, hi int) bool {
	if lo <= hi {
		return v >= lo && v <= hi
	}
	return v >= lo || v <= hi
}

// resolve returns host's first IPv4 address, or "" (PAC DNS functions never fail loudly).
func (in *interp) resolve(host string) string {
	if ip := net.ParseIP(host); ip != nil {
		return ip.String()
	}
	ips, err := in.env.lookup(in.ctx, host)
	if err != nil {
		return ""
	}
	for _, ip := range ips {
		if v4 := ip.To4(); v4 != nil {
			return v4.String()
		}
	}
	return ""
}

// shellMatch is shExpMatch: '*' any run, '?' one character; '/' and '.' are ordinary.
func shellMatch(pattern, s string) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			starP, starI = p, i
			p++
		case starP >= 0:
			p = starP + 1
			starI++
			i = starI
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
