package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"kycdesk/app/i18n"
	"kycdesk/kyc/nik"
)

// number formats a score or pass mark for the clerk: no decimals when whole, a decimal
// comma in Indonesian ("75,5"), a point in English.
func number(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s) > i+2 {
		s = strconv.FormatFloat(f, 'f', 1, 64)
	}
	if i18n.Current() != i18n.EN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// count formats a count with a thousands separator: "2.000" in Indonesian, "2,000" in
// English.
func count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "."
	if i18n.Current() == i18n.EN {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// dateTime is how the clerk reads a time: DD-MM-YYYY HH:MM, local time, as the KTP
// prints dates.
func dateTime(t time.Time) string { return t.Local().Format("02-01-2006 15:04") }

// dateTimeSeconds adds the seconds (History details).
func dateTimeSeconds(t time.Time) string { return t.Local().Format("02-01-2006 15:04:05") }

func asNIK(err error, target **nik.Error) bool { return errors.As(err, target) }
