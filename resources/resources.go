// Package resources holds the assets bundled into the binary: the icon, and later the
// translations and sample images.
package resources

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon: an ID card with a check mark (original artwork,
// icon.svg is its source).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
