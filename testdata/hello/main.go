// Command hello is the baseline of the start-up benchmark (.ci/bench-start.sh): the
// smallest Fyne window, built with the same toolchain and tags as KYC Desk.
package main

import (
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("id.kycdesk.hello")
	w := a.NewWindow("Hello Fyne")
	w.SetContent(widget.NewLabel("Hello"))
	w.ShowAndRun()
}
