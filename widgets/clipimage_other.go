//go:build !(windows || (cgo && ((linux && !android) || (darwin && !ios))))

package widgets

// platformClipboardImage: this build has no image clipboard (no cgo, or a platform
// golang.design/x/clipboard does not cover); pasting a file path still works.
func platformClipboardImage() ([]byte, error) { return nil, ErrNoClipboardImage }
