package cli

import (
	"context"
	"errors"
	"flag"
	"strings"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/nik"
	"kycdesk/kyc/photo"
	"kycdesk/kyc/vault"
)

// callFlags are the flags of the three gateway commands.
type callFlags struct {
	common
	ref   string
	force bool
}

func (f *callFlags) register(fsName string, env *Env, synopsis string) *flag.FlagSet {
	fs := newFlags(env, fsName, synopsis)
	f.common.register(fs)
	fs.StringVar(&f.ref, "ref", "", "cust_ref_no to send (default: a generated, time-sortable number)")
	fs.BoolVar(&f.force, "force", false, "send even when the image pre-flight checks give warnings (never errors)")
	return fs
}

// call runs one gateway command after local preparation: prepare builds the request
// (and may refuse with invalid_input, exit 2, nothing sent); send calls the gateway
// through the target's caller and fills the product's part of the report.
func call(ctx context.Context, env *Env, f callFlags, product kyc.Product,
	prepare func(r *report) error,
	send func(ctx context.Context, c Caller, r *report) (kyc.Meta, error),
) int {
	ref := strings.TrimSpace(f.ref)
	if ref == "" {
		ref = kyc.NewRefNo()
	}
	r := newReport(product, ref)
	if err := prepare(r); err != nil {
		code := r.fail(err)
		r.print(env.Stdout, f.json)
		return code
	}
	t, kerr := resolveTarget(ctx, env, f.common)
	if kerr != nil {
		code := r.fail(kerr)
		r.print(env.Stdout, f.json)
		return code
	}
	defer t.close()
	r.Server, r.Profile, r.Warnings = t.server, t.profile.Name, t.warnings
	printWarnings(env.Stderr, string(product), t.warnings)
	ctx, err := t.withConsent(ctx, f.consent)
	if err != nil {
		code := r.fail(err)
		r.print(env.Stdout, f.json)
		return code
	}
	meta, err := send(ctx, t.caller, r)
	r.fromMeta(meta)
	code := ExitOK
	if err != nil {
		code = r.fail(err)
		// Refused before sending for want of a token: say how to get one, unless the
		// keyring's own message already does (no token stored: it names the command;
		// locked or gone: storing a token would not help).
		if kyc.KindOf(err) == kyc.KindUnauthorized && meta.Attempts == 0 && vault.CodeOf(err) == "" {
			r.Error.Message += ": " + t.tokenHelp()
		}
	}
	r.print(env.Stdout, f.json)
	return code
}

// loadImage prepares an image file through kyc/photo, the one path every image takes.
// An error finding, or a warning without --force, refuses the call (exit 2).
func loadImage(ctx context.Context, r *report, path string, kind photo.Kind, force bool) (string, error) {
	prep, err := photo.PrepareFile(ctx, path, kind)
	if err != nil {
		var pe *photo.Error
		if errors.As(err, &pe) {
			return "", &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed,
				Message: "the " + kind.String() + " image cannot be used: " + pe.MessageEN}
		}
		return "", &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: err.Error()}
	}
	r.Images = append(r.Images, imageInfoOf(kind, prep))
	blocking := 0
	for _, fd := range prep.Findings {
		r.Findings = append(r.Findings, findingOut{Code: fd.Code, Severity: fd.Severity.String(), Field: kind.String() + "_image", Message: fd.MessageEN})
		if fd.Severity == photo.SeverityError || !force {
			blocking++
		}
	}
	if blocking > 0 {
		msg := "the " + kind.String() + " image did not pass the pre-flight checks; nothing was sent"
		if !hasError(prep.Findings) {
			msg += " (use --force to send despite warnings)"
		}
		return "", &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: msg}
	}
	return prep.Base64(), nil
}

func hasError(fs []photo.Finding) bool {
	for _, f := range fs {
		if f.Severity == photo.SeverityError {
			return true
		}
	}
	return false
}

func runLiveness(ctx context.Context, env *Env, args []string) int {
	var f callFlags
	fs := f.register("liveness", env, "--image FILE [--ref REF] [--force] [--consent] [common flags]")
	image := fs.String("image", "", "selfie photo (JPEG, PNG, WebP, HEIC)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *image == "" {
		return missing(env, f, kyc.ProductLiveness, "liveness", "--image FILE is required")
	}
	var b64 string
	return call(ctx, env, f, kyc.ProductLiveness,
		func(r *report) (err error) {
			b64, err = loadImage(ctx, r, *image, photo.KindSelfie, f.force)
			return err
		},
		func(ctx context.Context, c Caller, r *report) (kyc.Meta, error) {
			res, err := c.Liveness(ctx, kyc.LivenessRequest{CustRefNo: r.CustRefNo, SelfieImage: b64})
			if err == nil {
				live := res.Live
				r.Live = &live
			}
			return res.Meta, err
		})
}

func runRecognize(ctx context.Context, env *Env, args []string) int {
	var f callFlags
	fs := f.register("recognize", env, "--image FILE [--ref REF] [--force] [--consent] [common flags]")
	image := fs.String("image", "", "photo of the eKTP (JPEG, PNG, WebP, HEIC)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *image == "" {
		return missing(env, f, kyc.ProductIDRecognize, "recognize", "--image FILE is required")
	}
	var b64 string
	return call(ctx, env, f, kyc.ProductIDRecognize,
		func(r *report) (err error) {
			b64, err = loadImage(ctx, r, *image, photo.KindID, f.force)
			return err
		},
		func(ctx context.Context, c Caller, r *report) (kyc.Meta, error) {
			res, err := c.Recognize(ctx, kyc.RecognizeRequest{CustRefNo: r.CustRefNo, IDImage: b64})
			if err == nil {
				r.Identity = res.Identity
				// The local cross-check: does the NIK agree with what the card says?
				for _, fd := range nik.Consistency(res.Identity["nik"], res.Identity) {
					r.Findings = append(r.Findings, nikFinding(fd))
				}
			}
			return res.Meta, err
		})
}

func runValidate(ctx context.Context, env *Env, args []string) int {
	var f callFlags
	fs := f.register("validate", env, "--nik NIK [--name S] [--birth-date DD-MM-YYYY] [--birth-place S] [--address S] [--selfie FILE] [--ref REF] [--consent] [common flags]")
	var req kyc.ValidationRequest
	fs.StringVar(&req.NIK, "nik", "", "the person's 16-digit NIK (required)")
	fs.StringVar(&req.Name, "name", "", "full name")
	fs.StringVar(&req.BirthDate, "birth-date", "", "birth date, DD-MM-YYYY (YYYY-MM-DD also accepted; sent as DD-MM-YYYY)")
	fs.StringVar(&req.BirthPlace, "birth-place", "", "birth place")
	fs.StringVar(&req.Address, "address", "", "street address")
	selfie := fs.String("selfie", "", "selfie photo to compare with the registry photo")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if strings.TrimSpace(req.NIK) == "" {
		return missing(env, f, kyc.ProductIDValidation, "validate", "--nik NIK is required")
	}
	return call(ctx, env, f, kyc.ProductIDValidation,
		func(r *report) error {
			// One date parser everywhere: YYYY-MM-DD is accepted too, and sent in the
			// gateway's DD-MM-YYYY.
			if bd := strings.TrimSpace(req.BirthDate); len(bd) == len("2006-01-02") && bd[4] == '-' {
				if d, err := history.ParseDay(bd, time.UTC); err == nil {
					req.BirthDate = d.Format("02-01-2006")
				}
			}
			// Refuse locally what the gateway would certainly reject: nothing is sent.
			if err := kyc.CheckValidation(req); err != nil {
				return err
			}
			if n, err := nik.Parse(strings.TrimSpace(req.NIK)); err == nil {
				for _, fd := range nik.Warnings(n) {
					r.Findings = append(r.Findings, nikFinding(fd))
				}
			}
			if *selfie != "" {
				b64, err := loadImage(ctx, r, *selfie, photo.KindSelfie, f.force)
				if err != nil {
					return err
				}
				req.SelfieImage = b64
			}
			return nil
		},
		func(ctx context.Context, c Caller, r *report) (kyc.Meta, error) {
			req.CustRefNo = r.CustRefNo
			res, err := c.Validate(ctx, req)
			if err == nil {
				m := res.Match
				r.Match = &m
			}
			return res.Meta, err
		})
}

// missing reports a required flag that was not given: with --json as the one JSON
// object the contract promises, else as a usage line. Exit 2, nothing sent.
func missing(env *Env, f callFlags, p kyc.Product, cmd, msg string) int {
	if !f.json {
		return usageError(env, cmd, "%s", msg)
	}
	r := newReport(p, strings.TrimSpace(f.ref))
	code := r.fail(&kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: msg})
	r.print(env.Stdout, true)
	return code
}

func nikFinding(f nik.Finding) findingOut {
	sev := "warning"
	if f.Severity == nik.SeverityError {
		sev = "error"
	}
	return findingOut{Code: f.Code, Severity: sev, Field: f.Field, Message: f.MessageEN}
}
