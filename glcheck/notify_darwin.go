//go:build darwin

package glcheck

import (
	"context"
	"os/exec"
	"strings"
	"time"
)

// show opens an alert through osascript (AppKit would need the run loop Fyne has not
// started). It gives up after five minutes, so a PC nobody looks at does not keep the
// process forever.
func show(title, body string) {
	q := func(s string) string { return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"` }
	script := "display alert " + q(title) + " message " + q(body) + " as critical giving up after 300"
	ctx, cancel := context.WithTimeout(context.Background(), 310*time.Second)
	defer cancel()
	_ = exec.CommandContext(ctx, "/usr/bin/osascript", "-e", script).Run()
}
