package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/nik"
	"kycdesk/kyc/safefile"
	"kycdesk/kyc/service"
)

// runHistory lists, exports, checks or erases the call history.
func runHistory(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "history", "[--ref REF] [--since DATE] [--until DATE] [--product P] [--outcome O] [--nik NIK] [--trx ID] [--limit N] [--after CURSOR] "+
		"[--export csv|json [--include-personal] [--out FILE]] [--export-images DIR (with --ref)] [--erase-nik NIK] [--check] [--new-keys] "+
		"[--resolve ID --billed|--not-billed [--note S]] [--json]")
	var f history.Filter
	fs.StringVar(&f.Ref, "ref", "", "only this cust_ref_no")
	since := fs.String("since", "", "only calls from this date on (YYYY-MM-DD or DD-MM-YYYY, local time; or an RFC 3339 time)")
	until := fs.String("until", "", "only calls up to this date, inclusive (YYYY-MM-DD or DD-MM-YYYY; or an RFC 3339 time, exclusive)")
	fs.StringVar(&f.Product, "product", "", "passive-liveness, id-recognize or id-validation")
	fs.StringVar(&f.Outcome, "outcome", "", "success, rejected, failed, unknown or pending")
	fs.StringVar(&f.NIK, "nik", "", "only calls about this NIK (matched by keyed hash, never stored in clear)")
	fs.StringVar(&f.TrxID, "trx", "", "only this gateway trx_id")
	limit := fs.Int("limit", 50, "rows to list (not for --export)")
	after := fs.String("after", "", `list the page after this cursor (the "next" of the previous --json page)`)
	export := fs.String("export", "", "write every matching row as csv or json")
	personal := fs.Bool("include-personal", false, "with --export: add the decrypted personal fields (NIK, name, OCR data)")
	out := fs.String("out", "", "with --export: write to FILE (crash-safe, owner-only) instead of stdout")
	images := fs.String("export-images", "", "with --ref: write the photos kept with those calls into DIR (for a dispute with the vendor)")
	erase := fs.String("erase-nik", "", "delete every row of this NIK, with its kept photos (a data subject's erasure request)")
	check := fs.Bool("check", false, "run SQLite's integrity check over the whole history")
	newKeys := fs.Bool("new-keys", false, "the history's key is lost (new PC profile, keyring reset): start new keys; old personal fields stay sealed until the old key returns")
	resolve := fs.Int64("resolve", 0, "record whether the call with this id (see --json) and an unknown outcome was billed (with --billed or --not-billed)")
	billed := fs.Bool("billed", false, "with --resolve: the call was billed")
	notBilled := fs.Bool("not-billed", false, "with --resolve: the call was not billed")
	note := fs.String("note", "", "with --resolve: why (stays on this PC; head office sees only the decision)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if (*resolve != 0) != (*billed != *notBilled) || (*note != "" && *resolve == 0) {
		return usageError(env, "history", "--resolve ID goes with exactly one of --billed or --not-billed (and an optional --note)")
	}
	var err error
	if s := strings.TrimSpace(*since); s != "" {
		if f.Since, err = history.ParseDay(s, nil); err != nil {
			return usageError(env, "history", "--since %q is not a date: use YYYY-MM-DD or DD-MM-YYYY", s)
		}
	}
	if s := strings.TrimSpace(*until); s != "" {
		if f.Until, err = history.ParseUntil(s, nil); err != nil {
			return usageError(env, "history", "--until %q is not a date: use YYYY-MM-DD or DD-MM-YYYY", s)
		}
	}
	if f.Product != "" && !kyc.Product(f.Product).Valid() {
		return usageError(env, "history", "--product must be passive-liveness, id-recognize or id-validation")
	}
	switch f.Outcome {
	case "", history.OutcomeSuccess, history.OutcomeRejected, history.OutcomeFailed, history.OutcomeUnknown, history.OutcomePending:
	default:
		return usageError(env, "history", "--outcome must be success, rejected, failed, unknown or pending")
	}
	for _, n := range []string{f.NIK, *erase} {
		if n != "" {
			if _, err := nik.Parse(strings.TrimSpace(n)); err != nil {
				reason := err.Error()
				var ne *nik.Error
				if errors.As(err, &ne) {
					reason = ne.MessageEN()
				}
				return usageError(env, "history", "%s is not a valid NIK: %s", nik.Mask(n), reason)
			}
		}
	}
	if *export != "" && *export != history.FormatCSV && *export != history.FormatJSON {
		return usageError(env, "history", "--export must be csv or json")
	}
	if (*personal || *out != "") && *export == "" {
		return usageError(env, "history", "--include-personal and --out go with --export")
	}
	if *images != "" && strings.TrimSpace(f.Ref) == "" {
		return usageError(env, "history", "--export-images DIR goes with --ref REF (the calls whose photos to write)")
	}
	if *after != "" && *export != "" {
		return usageError(env, "history", "--after pages a listing; --export writes every matching row")
	}

	desk, store, doubt, code := openStore(ctx, env, "history")
	if code >= 0 {
		return code
	}
	defer desk.Close()
	// Settings in doubt: the work is done (nothing was purged), and the exit code says
	// that something needs repair.
	finish := func(code int) int {
		if code == ExitOK && doubt {
			return ExitInternal
		}
		return code
	}

	switch {
	case *check:
		return finish(checkHistory(ctx, env, store, *asJSON))
	case *newKeys:
		if err := store.StartNewKeys(ctx); err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk history: cannot start new keys: %v\n", err)
			return ExitUnauthorized
		}
		fmt.Fprintln(env.Stdout, "New history keys are in the keyring; new calls are recorded under them.")
		return finish(ExitOK)
	case *erase != "":
		n, err := store.EraseNIK(ctx, strings.TrimSpace(*erase))
		if err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk history: erase failed: %v\n", err)
			return ExitInternal
		}
		if *asJSON {
			return finish(writeJSON(env.Stdout, map[string]any{"erased": n, "nik_masked": nik.Mask(*erase)}))
		}
		fmt.Fprintf(env.Stdout, "Erased %d record%s of NIK %s (with any photos kept).\n", n, plural(n), nik.Mask(*erase))
		return finish(ExitOK)
	case *images != "":
		return finish(exportImages(ctx, env, store, f.Ref, *images))
	case *resolve != 0:
		res := history.ResolutionNotBilled
		if *billed {
			res = history.ResolutionBilled
		}
		switch err := store.Resolve(ctx, *resolve, res, *note, service.OSUser()); {
		case errors.Is(err, history.ErrNotFound):
			return usageError(env, "history", "no call has the id %d", *resolve)
		case errors.Is(err, history.ErrNotUnknown), errors.Is(err, history.ErrBadResolution):
			return usageError(env, "history", "%v", err)
		case err != nil:
			fmt.Fprintf(env.Stderr, "kycdesk history: %v\n", err)
			return ExitInternal
		}
		fmt.Fprintf(env.Stdout, "Call %d recorded as %s.\n", *resolve, strings.ReplaceAll(res, "_", " "))
		return finish(ExitOK)
	case *export != "":
		return finish(exportHistory(ctx, env, store, f, *export, *personal, *out))
	}

	f.Limit, f.After = *limit, *after
	page, err := store.List(ctx, f)
	if err != nil {
		if errors.Is(err, history.ErrBadCursor) {
			return usageError(env, "history", "--after: not a cursor from a previous page")
		}
		fmt.Fprintf(env.Stderr, "kycdesk history: %v\n", err)
		return ExitInternal
	}
	if *asJSON {
		// One JSON object: exactly this page's rows (keyset paging: no row twice, none
		// skipped), as the json export writes them, newest first.
		rows := make([]history.ExportRow, 0, len(page.Records))
		for _, r := range page.Records {
			rows = append(rows, history.ExportRowOf(r, nil))
		}
		obj := map[string]any{"count": len(rows), "records": rows, "more": page.Next != ""}
		if page.Next != "" {
			obj["next"] = page.Next
		}
		return finish(writeJSON(env.Stdout, obj))
	}
	printHistory(env.Stdout, page)
	return finish(ExitOK)
}

// checkHistory runs PRAGMA integrity_check and reports what it found.
func checkHistory(ctx context.Context, env *Env, store *history.Store, asJSON bool) int {
	found, err := store.Check(ctx, false)
	if asJSON {
		obj := map[string]any{"path": store.Path(), "ok": err == nil && len(found) == 0, "problems": found}
		if err != nil {
			obj["error"] = err.Error()
		}
		writeJSON(env.Stdout, obj)
	}
	switch {
	case err != nil:
		fmt.Fprintf(env.Stderr, "kycdesk history: integrity check of %s failed: %v\n", store.Path(), err)
	case len(found) > 0:
		fmt.Fprintf(env.Stderr, "kycdesk history: %s is damaged (%d problem%s):\n", store.Path(), len(found), plural(len(found)))
		for i, p := range found {
			if i == 20 {
				fmt.Fprintf(env.Stderr, "  … and %d more\n", len(found)-20)
				break
			}
			fmt.Fprintf(env.Stderr, "  %s\n", p)
		}
		fmt.Fprintln(env.Stderr, "No call is recorded into it any more. The next start of KYC Desk (the window or any command) keeps it aside as history-damaged-<time>.db — nothing is deleted — and starts a new history.")
	default:
		if !asJSON {
			fmt.Fprintf(env.Stdout, "%s: integrity check ok\n", store.Path())
		}
		return ExitOK
	}
	return ExitInternal
}

// exportImages writes the photos kept with the calls of ref into dir, one file per
// photo, owner-only.
func exportImages(ctx context.Context, env *Env, store *history.Store, ref, dir string) int {
	recs, err := store.ByRef(ctx, strings.TrimSpace(ref), false)
	if err != nil {
		fmt.Fprintf(env.Stderr, "kycdesk history: %v\n", err)
		return ExitInternal
	}
	if len(recs) == 0 {
		fmt.Fprintf(env.Stderr, "kycdesk history: no call has the reference %q\n", ref)
		return ExitUsage
	}
	if err := safefile.MkdirAll(dir); err != nil {
		fmt.Fprintf(env.Stderr, "kycdesk history: %v\n", err)
		return ExitInternal
	}
	n := 0
	for _, r := range recs {
		imgs, err := store.KeptImages(ctx, r.ID)
		if err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk history: photos of call %d: %v\n", r.ID, err)
			return ExitInternal
		}
		for _, im := range imgs {
			name := fmt.Sprintf("%s-%d-%s-%s.jpg", safeName(r.CustRefNo), r.ID, r.Product, im.Kind)
			path := filepath.Join(dir, name)
			if err := safefile.Write(path, im.JPEG); err != nil {
				fmt.Fprintf(env.Stderr, "kycdesk history: %v\n", err)
				return ExitInternal
			}
			fmt.Fprintf(env.Stdout, "%s\t%d bytes\t(kept until %s)\n", path, len(im.JPEG), im.ExpiresAt.Local().Format("2006-01-02 15:04"))
			n++
		}
	}
	if n == 0 {
		fmt.Fprintf(env.Stderr, "kycdesk history: no photos are kept for %q: photos are kept only while Settings → keep photos is on, for %d days\n",
			ref, int(history.DefaultImageRetention/(24*time.Hour)))
		return ExitFailed
	}
	fmt.Fprintf(env.Stderr, "Wrote %d photo%s to %s.\n", n, plural(n), dir)
	return ExitOK
}

// safeName keeps a reference usable as a file name.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "ref"
	}
	return b.String()
}

func exportHistory(ctx context.Context, env *Env, store *history.Store, f history.Filter, format string, personal bool, out string) int {
	opt := history.ExportOptions{Format: format, Filter: f, IncludePersonal: personal}
	if out == "" {
		if _, err := store.Export(ctx, env.Stdout, opt); err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk history: export failed: %v\n", err)
			return ExitInternal
		}
		return ExitOK
	}
	n, err := store.ExportFile(ctx, out, opt)
	if err != nil {
		fmt.Fprintf(env.Stderr, "kycdesk history: export failed, %s is unchanged: %v\n", out, err)
		return ExitInternal
	}
	fmt.Fprintf(env.Stderr, "Exported %d record%s to %s.\n", n, plural(n), out)
	return ExitOK
}

func printHistory(w io.Writer, page history.Page) {
	if len(page.Records) == 0 {
		fmt.Fprintln(w, "No calls on record match.")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tPRODUCT\tREFERENCE\tNIK\tOUTCOME\tDETAIL\tTRX_ID\tPROFILE")
	unknown := 0
	for _, r := range page.Records {
		detail := r.ErrorKind
		outcome := strings.ToUpper(r.Outcome)
		switch res := r.Resolution; {
		case res.Resolved():
			outcome += " · RESOLVED " + strings.ToUpper(strings.ReplaceAll(res.Value, "_", " "))
			detail = strings.TrimSpace(detail + " by " + res.By + " (" + strings.ReplaceAll(res.Source, "_", " ") + ")")
		case r.Outcome == history.OutcomeUnknown || r.Outcome == history.OutcomePending:
			unknown++
			if r.Note != "" {
				detail = strings.TrimSpace(detail + " " + r.Note)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.CreatedAt.Local().Format("2006-01-02 15:04:05"),
			r.Product, r.CustRefNo, dash(r.NIKMasked), outcome, dash(detail), dash(r.TrxID), r.Profile)
	}
	_ = tw.Flush()
	if page.Next != "" {
		fmt.Fprintln(w, "(more rows: narrow with --since/--until or raise --limit)")
	}
	if unknown > 0 {
		fmt.Fprintf(w, "\n%d call%s with outcome UNKNOWN may have been billed: check each reference with the gateway before retrying.\n", unknown, plural(unknown))
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
