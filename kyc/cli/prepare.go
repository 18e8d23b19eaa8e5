package cli

import (
	"context"
	"errors"
	"fmt"

	"kycdesk/kyc/photo"
	"kycdesk/kyc/safefile"
)

// imageInfo describes a prepared image in reports.
type imageInfo struct {
	Kind         string `json:"kind"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	Bytes        int    `json:"bytes"`
	Quality      int    `json:"quality"`
	SourceFormat string `json:"source_format"`
	SourceWidth  int    `json:"source_width"`
	SourceHeight int    `json:"source_height"`
	SourceBytes  int    `json:"source_bytes"`
	Orientation  int    `json:"orientation"`
	ElapsedMS    int64  `json:"elapsed_ms"`
}

func imageInfoOf(kind photo.Kind, p *photo.Prepared) imageInfo {
	return imageInfo{
		Kind: kind.String(), Width: p.Width, Height: p.Height, Bytes: len(p.JPEG), Quality: p.Quality,
		SourceFormat: string(p.Source.Format), SourceWidth: p.Source.Width, SourceHeight: p.Source.Height,
		SourceBytes: p.Source.Bytes, Orientation: p.Source.Orientation, ElapsedMS: p.Elapsed.Milliseconds(),
	}
}

// runPrepare writes exactly the JPEG that would be sent, with no network at all.
func runPrepare(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "prepare", "--kind selfie|id --image FILE --out FILE.jpg [--json]")
	kindName := fs.String("kind", "", "selfie or id")
	image := fs.String("image", "", "input photo (JPEG, PNG, WebP, HEIC)")
	out := fs.String("out", "", "where to write the prepared JPEG")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	kind, err := photo.ParseKind(*kindName)
	if err != nil {
		return usageError(env, "prepare", "--kind must be selfie or id")
	}
	if *image == "" || *out == "" {
		return usageError(env, "prepare", "--image FILE and --out FILE.jpg are required")
	}
	type result struct {
		imageInfo
		Out      string       `json:"out,omitempty"`
		Findings []findingOut `json:"findings"`
		Error    *reportError `json:"error,omitempty"`
	}
	res := result{Findings: []findingOut{}}
	fail := func(code int, msg string) int {
		res.Error = &reportError{Kind: "invalid_input", Message: msg}
		if *asJSON {
			writeJSON(env.Stdout, res)
		} else {
			fmt.Fprintf(env.Stderr, "kycdesk prepare: %s\n", msg)
		}
		return code
	}
	p, err := photo.PrepareFile(ctx, *image, kind)
	if err != nil {
		var pe *photo.Error
		if errors.As(err, &pe) {
			return fail(ExitUsage, pe.MessageEN)
		}
		return fail(ExitUsage, err.Error())
	}
	res.imageInfo = imageInfoOf(kind, p)
	for _, f := range p.Findings {
		res.Findings = append(res.Findings, findingOut{Code: f.Code, Severity: f.Severity.String(), Message: f.MessageEN})
	}
	if err := writePrivateFile(*out, p.JPEG); err != nil {
		return fail(ExitInternal, "cannot write the output: "+err.Error())
	}
	res.Out = *out
	code := ExitOK
	if len(p.Blocking()) > 0 {
		code = ExitUsage
		res.Error = &reportError{Kind: "invalid_input", Message: "the image did not pass the pre-flight checks; it would not be sent"}
	}
	if *asJSON {
		writeJSON(env.Stdout, res)
		return code
	}
	fmt.Fprintf(env.Stdout, "%s: %d×%d px, %s (%d bytes), JPEG quality %d, prepared in %d ms\n",
		*out, p.Width, p.Height, humanBytes(len(p.JPEG)), len(p.JPEG), p.Quality, p.Elapsed.Milliseconds())
	fmt.Fprintf(env.Stdout, "  source: %s %d×%d px, %s, EXIF orientation %d\n",
		p.Source.Format, p.Source.Width, p.Source.Height, humanBytes(p.Source.Bytes), p.Source.Orientation)
	if len(p.Findings) == 0 {
		fmt.Fprintln(env.Stdout, "  checks: all passed")
	}
	for _, f := range res.Findings {
		fmt.Fprintf(env.Stdout, "  %-8s %s\n", f.Severity+":", f.Message)
	}
	if res.Error != nil {
		fmt.Fprintf(env.Stdout, "  error:   %s\n", res.Error.Message)
	}
	return code
}

// writePrivateFile writes data readable by the owner only (a prepared photo is personal
// data), crash-safely (see kyc/safefile).
func writePrivateFile(path string, data []byte) error { return safefile.Write(path, data) }
