// Package resources holds the assets bundled into the binary: the icon and the
// translation catalogues.
package resources

import (
	"embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon: an ID card with a check mark (original artwork,
// icon.svg is its source).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

//go:embed icon-64.png
var iconSmallPNG []byte

// IconSmall is the icon at 64 px, for the window's header: decoding the 512 px one
// there would cost start-up time for nothing.
var IconSmall = fyne.NewStaticResource("icon-64.png", iconSmallPNG)

// Translations holds translations/{id,en}.json (the app's strings) and
// translations/fyne.id.json (Indonesian for Fyne's own dialogs).
//
//go:embed translations/*.json
var Translations embed.FS

// Sample images for demos and training on the Sandbox profile: a specimen eKTP of an
// invented person (rendered by kyc/photo/specimen) and the sample selfie (astronaut
// Eileen Collins, NASA, public domain). samples/gen.go makes them.
var (
	//go:embed samples/specimen-ektp.jpg
	SampleCard []byte
	//go:embed samples/sample-selfie.jpg
	SampleSelfie []byte
)
