package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"strings"
	"text/tabwriter"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/nik"
)

// runHistory lists, exports or erases the call history.
func runHistory(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "history", "[--ref REF] [--since DATE] [--until DATE] [--product P] [--outcome O] [--nik NIK] [--trx ID] [--limit N] [--export csv|json [--include-personal] [--out FILE]] [--erase-nik NIK] [--new-keys] [--json]")
	var f history.Filter
	fs.StringVar(&f.Ref, "ref", "", "only this cust_ref_no")
	since := fs.String("since", "", "only calls from this date on (YYYY-MM-DD, local time, or RFC 3339)")
	until := fs.String("until", "", "only calls before this date (YYYY-MM-DD: up to the end of that day)")
	fs.StringVar(&f.Product, "product", "", "passive-liveness, id-recognize or id-validation")
	fs.StringVar(&f.Outcome, "outcome", "", "success, rejected, failed, unknown or pending")
	fs.StringVar(&f.NIK, "nik", "", "only calls about this NIK (matched by keyed hash, never stored in clear)")
	fs.StringVar(&f.TrxID, "trx", "", "only this gateway trx_id")
	limit := fs.Int("limit", 50, "rows to list (not for --export)")
	export := fs.String("export", "", "write every matching row as csv or json")
	personal := fs.Bool("include-personal", false, "with --export: add the decrypted personal fields (NIK, name, OCR data)")
	out := fs.String("out", "", "with --export: write to FILE (mode 0600) instead of stdout")
	erase := fs.String("erase-nik", "", "delete every row of this NIK (a data subject's erasure request)")
	newKeys := fs.Bool("new-keys", false, "the history's key is lost (new PC profile, keyring reset): start new keys; old personal fields stay sealed until the old key returns")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	var err error
	if f.Since, err = parseDay(*since, false); err != nil {
		return usageError(env, "history", "--since: %v", err)
	}
	if f.Until, err = parseDay(*until, true); err != nil {
		return usageError(env, "history", "--until: %v", err)
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
				return usageError(env, "history", "%s is not a valid NIK: %s", nik.Mask(n), err.(*nik.Error).MessageEN())
			}
		}
	}
	if *export != "" && *export != history.FormatCSV && *export != history.FormatJSON {
		return usageError(env, "history", "--export must be csv or json")
	}
	if (*personal || *out != "") && *export == "" {
		return usageError(env, "history", "--include-personal and --out go with --export")
	}

	v, err := openVault(env)
	if err != nil {
		return vaultFailure(env, "history", err)
	}
	store, err := openHistory(ctx, env, v)
	if err != nil {
		fmt.Fprintf(env.Stderr, "kycdesk history: cannot open the history: %v\n", err)
		return ExitInternal
	}
	defer store.Close()

	switch {
	case *newKeys:
		if err := store.StartNewKeys(ctx); err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk history: cannot start new keys: %v\n", err)
			return ExitUnauthorized
		}
		fmt.Fprintln(env.Stdout, "New history keys are in the keyring; new calls are recorded under them.")
		return ExitOK
	case *erase != "":
		n, err := store.EraseNIK(ctx, strings.TrimSpace(*erase))
		if err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk history: erase failed: %v\n", err)
			return ExitInternal
		}
		if *asJSON {
			return writeJSON(env.Stdout, map[string]any{"erased": n, "nik_masked": nik.Mask(*erase)})
		}
		fmt.Fprintf(env.Stdout, "Erased %d record%s of NIK %s.\n", n, plural(n), nik.Mask(*erase))
		return ExitOK
	case *export != "":
		return exportHistory(ctx, env, store, f, *export, *personal, *out)
	}

	f.Limit = *limit
	page, err := store.List(ctx, f)
	if err != nil {
		fmt.Fprintf(env.Stderr, "kycdesk history: %v\n", err)
		return ExitInternal
	}
	if *asJSON {
		var buf bytes.Buffer
		ids := map[int64]bool{}
		for _, r := range page.Records {
			ids[r.ID] = true
		}
		// One JSON object: the same rows as the json export, newest first.
		rows := []json.RawMessage{}
		if len(page.Records) > 0 {
			if _, err := store.Export(ctx, &buf, history.ExportOptions{Format: history.FormatJSON, Filter: pageFilter(f, page)}); err != nil {
				fmt.Fprintf(env.Stderr, "kycdesk history: %v\n", err)
				return ExitInternal
			}
			_ = json.Unmarshal(buf.Bytes(), &rows)
		}
		return writeJSON(env.Stdout, map[string]any{"count": len(rows), "records": rows, "more": page.Next != ""})
	}
	printHistory(env.Stdout, page)
	return ExitOK
}

// pageFilter narrows f to the rows of page (an export is otherwise unbounded).
func pageFilter(f history.Filter, page history.Page) history.Filter {
	if len(page.Records) == 0 {
		return f
	}
	f.Since = page.Records[len(page.Records)-1].CreatedAt
	f.Until = page.Records[0].CreatedAt.Add(time.Millisecond)
	return f
}

func exportHistory(ctx context.Context, env *Env, store *history.Store, f history.Filter, format string, personal bool, out string) int {
	var w io.Writer = env.Stdout
	var buf bytes.Buffer
	if out != "" {
		w = &buf
	}
	n, err := store.Export(ctx, w, history.ExportOptions{Format: format, Filter: f, IncludePersonal: personal})
	if err != nil {
		fmt.Fprintf(env.Stderr, "kycdesk history: export failed: %v\n", err)
		return ExitInternal
	}
	if out != "" {
		if err := writePrivateFile(out, buf.Bytes()); err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk history: cannot write %s: %v\n", out, err)
			return ExitInternal
		}
		fmt.Fprintf(env.Stderr, "Exported %d record%s to %s.\n", n, plural(n), out)
	}
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
		if r.Outcome == history.OutcomeUnknown || r.Outcome == history.OutcomePending {
			unknown++
			if r.Note != "" {
				detail = strings.TrimSpace(detail + " " + r.Note)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.CreatedAt.Local().Format("2006-01-02 15:04:05"),
			r.Product, r.CustRefNo, dash(r.NIKMasked), strings.ToUpper(r.Outcome), dash(detail), dash(r.TrxID), r.Profile)
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

// parseDay reads YYYY-MM-DD (local midnight; endOfDay moves to the next midnight, so
// --until 2026-11-25 includes that day) or an RFC 3339 time.
func parseDay(s string, endOfDay bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD) or an RFC 3339 time", s)
}
