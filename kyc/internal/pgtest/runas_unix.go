//go:build unix

package pgtest

import (
	"os/exec"
	"syscall"
)

func runAs(cmd *exec.Cmd, a account) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid)}}
}
