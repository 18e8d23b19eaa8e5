//go:build !unix

package pgtest

import "os/exec"

// runAs is never reached off Unix: New refuses to start there.
func runAs(*exec.Cmd, account) {}
