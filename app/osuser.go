package app

import (
	"os"
	"os/user"
	"sync"
)

var (
	userOnce sync.Once
	userName string
)

// currentUser is the process's user name (DOMAIN\user on Windows), looked up once.
func currentUser() string {
	userOnce.Do(func() {
		if u, err := user.Current(); err == nil && u.Username != "" {
			userName = u.Username
			return
		}
		for _, k := range []string{"USERNAME", "USER", "LOGNAME"} {
			if v := os.Getenv(k); v != "" {
				userName = v
				return
			}
		}
		userName = "?"
	})
	return userName
}
