package kyc

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

var refState struct {
	sync.Mutex
	last int64 // Unix milliseconds × 1000 + counter of the last reference handed out
}

// NewRefNo generates a cust_ref_no: 20 digits, sortable by time, unique per call. The
// first 17 digits are the UTC time to the millisecond (UTC so the order holds across
// Indonesia's three time zones); the last 3 start at a random value in each new
// millisecond and count up within it, so one process never repeats itself and two
// processes on one PC (the window and a script) are very unlikely to collide.
func NewRefNo() string {
	now := time.Now().UnixMilli()
	refState.Lock()
	v := now*1000 + int64(rand.IntN(500))
	if v <= refState.last {
		v = refState.last + 1
	}
	refState.last = v
	refState.Unlock()
	t := time.UnixMilli(v / 1000).UTC()
	return fmt.Sprintf("%s%03d%03d", t.Format("20060102150405"), t.Nanosecond()/int(time.Millisecond), v%1000)
}
