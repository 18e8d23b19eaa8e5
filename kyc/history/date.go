package history

import (
	"fmt"
	"time"
)

// ParseDay parses a --since/--until date as the start of that day in loc
// (nil → time.Local). It accepts YYYY-MM-DD and DD-MM-YYYY (the format the
// gateway uses for birth dates). For an inclusive --until, use
// ParseDay(s, loc) then .AddDate(0, 0, 1) as Filter.Until (which is
// exclusive).
func ParseDay(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.Local
	}
	for _, layout := range []string{"2006-01-02", "02-01-2006"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("history: date %q: want YYYY-MM-DD or DD-MM-YYYY", s)
}
