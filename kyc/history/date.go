package history

import (
	"fmt"
	"strings"
	"time"
)

// ParseDay is the one date parser of KYC Desk's filters (the window's History
// screen and `kycdesk history --since/--until`): YYYY-MM-DD or DD-MM-YYYY (the
// gateway's format for birth dates, which clerks type by habit) as the start of
// that day in loc (nil → time.Local), or an RFC 3339 time as that instant. For an
// inclusive "until", use ParseUntil.
func ParseDay(s string, loc *time.Location) (time.Time, error) {
	t, _, err := parseDate(s, loc)
	return t, err
}

// ParseUntil parses an inclusive end date for Filter.Until (which is exclusive):
// a day (YYYY-MM-DD, DD-MM-YYYY) gives the next midnight, so the whole day is
// included; an RFC 3339 time is taken as is.
func ParseUntil(s string, loc *time.Location) (time.Time, error) {
	t, day, err := parseDate(s, loc)
	if err == nil && day {
		t = t.AddDate(0, 0, 1)
	}
	return t, err
}

func parseDate(s string, loc *time.Location) (t time.Time, day bool, err error) {
	if loc == nil {
		loc = time.Local
	}
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02-01-2006"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, fmt.Errorf("history: date %q: want YYYY-MM-DD or DD-MM-YYYY (or an RFC 3339 time)", s)
}
