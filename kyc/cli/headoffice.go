package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/vault"
)

// Head office commands: `kycdesk hq …` for IT and finance, `kycdesk report`
// for the figures, `kycdesk sync …` on a counter.

func headOfficeFailure(env *Env, cmd string, err error) int {
	fmt.Fprintf(env.Stderr, "kycdesk %s: %v\n", cmd, err)
	return headOfficeExit(err)
}

// profileFor returns --profile or the active profile.
func profileFor(env *Env, v *vault.Vault, name string) (vault.Profile, error) {
	if name == "" {
		return v.Active()
	}
	return v.Profile(name)
}

// openHeadOffice connects with the profile's head_office section.
func openHeadOffice(ctx context.Context, env *Env, profile string) (*hq.Client, error) {
	v, err := openVault(env)
	if err != nil {
		return nil, err
	}
	p, err := profileFor(env, v, profile)
	if err != nil {
		return nil, err
	}
	return hq.OpenProfile(ctx, v, p)
}

func runHQ(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError(env, "hq", "want a sub-command: init, add-counter, add-user, password, quota, maintain, resolve, export, invoice")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "init":
		return runHQInit(ctx, env, args)
	case "add-counter", "add-user":
		return runHQAddLogin(ctx, env, sub, args)
	case "password":
		return runSecret(ctx, env, "hq password", args, func(v *vault.Vault, p, pw string) error {
			return v.SetHeadOfficePassword(ctx, p, pw)
		})
	case "quota", "maintain", "resolve", "export", "invoice":
		return runHQOffice(ctx, env, sub, args)
	}
	return usageError(env, "hq", "unknown sub-command %q", sub)
}

// adminConn connects with IT's own connection string (libpq keywords or URL).
func adminConn(ctx context.Context, dsn string) (*pgx.Conn, error) {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, hqdb.Classify("connect", err)
	}
	return c, nil
}

func runHQInit(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "hq init", "--print | --apply --admin DSN")
	print := fs.Bool("print", false, "print the SQL to run once in the head office database")
	apply := fs.Bool("apply", false, "run it through --admin")
	admin := fs.String("admin", "", `a superuser (or owner with CREATEROLE) connection: "host=… dbname=kycdesk user=postgres"`)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *apply == *print {
		return usageError(env, "hq init", "choose --print or --apply")
	}
	if *print {
		fmt.Fprint(env.Stdout, hq.SchemaSQL())
		return ExitOK
	}
	if *admin == "" {
		return usageError(env, "hq init", "--apply needs --admin")
	}
	c, err := adminConn(ctx, *admin)
	if err != nil {
		return headOfficeFailure(env, "hq init", err)
	}
	defer c.Close(context.WithoutCancel(ctx))
	if err := hq.Init(ctx, c); err != nil {
		return headOfficeFailure(env, "hq init", err)
	}
	fmt.Fprintln(env.Stdout, "head office schema installed (kyc): roles kyc_counter, kyc_hq_read, kyc_hq_write")
	return ExitOK
}

func runHQAddLogin(ctx context.Context, env *Env, sub string, args []string) int {
	fs := newFlags(env, "hq "+sub, "[--outlet ID --counter ID | --login NAME [--write]] [--apply --admin DSN]")
	outlet := fs.String("outlet", "", "outlet id (add-counter)")
	counter := fs.String("counter", "", "counter id within the outlet (add-counter)")
	login := fs.String("login", "", "login name (add-counter: default kyc_c_<outlet>_<counter>)")
	write := fs.Bool("write", false, "add-user: may resolve unknown outcomes and import invoices")
	apply := fs.Bool("apply", false, "run the SQL through --admin instead of printing it")
	admin := fs.String("admin", "", "superuser connection string (with --apply)")
	list := fs.String("csv", "", "add-counter: many counters from a CSV of outlet,counter (a header line is skipped)")
	passwords := fs.String("passwords", "", "with --csv: write outlet,counter,login,password here (created 0600; required)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *list != "" {
		if sub != "add-counter" || *passwords == "" {
			return usageError(env, "hq "+sub, "--csv is for add-counter and needs --passwords FILE")
		}
		return addCounters(ctx, env, *list, *passwords, *apply, *admin)
	}
	pw := hq.NewPassword()
	var sql string
	var err error
	if sub == "add-counter" {
		if *login == "" {
			*login = hq.CounterLogin(*outlet, *counter)
		}
		sql, err = hq.AddCounterSQL(*outlet, *counter, *login, pw)
	} else {
		sql, err = hq.AddOfficeUserSQL(*login, pw, *write)
	}
	if err != nil {
		return headOfficeFailure(env, "hq "+sub, err)
	}
	if *apply {
		if *admin == "" {
			return usageError(env, "hq "+sub, "--apply needs --admin")
		}
		c, err := adminConn(ctx, *admin)
		if err != nil {
			return headOfficeFailure(env, "hq "+sub, err)
		}
		defer c.Close(context.WithoutCancel(ctx))
		if err := hq.Exec(ctx, c, sql); err != nil {
			return headOfficeFailure(env, "hq "+sub, err)
		}
		fmt.Fprintf(env.Stdout, "login %s ready\npassword (shown once; store it with `kycdesk %s password` on that PC): %s\n",
			*login, map[bool]string{true: "sync", false: "hq"}[sub == "add-counter"], pw)
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "-- login %s; give the password below to the PC's `kycdesk %s password`, once.\n%s",
		*login, map[bool]string{true: "sync", false: "hq"}[sub == "add-counter"], sql)
	return ExitOK
}

// addCounters registers every outlet,counter line of a CSV: the SQL goes to
// stdout (or through --admin), the passwords to a 0600 file for IT to hand
// to each PC's `kycdesk sync password`.
func addCounters(ctx context.Context, env *Env, list, passwords string, apply bool, admin string) int {
	cmd := "hq add-counter"
	f, err := os.Open(list)
	if err != nil {
		return usageError(env, cmd, "%v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	var sql strings.Builder
	var out [][]string
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return usageError(env, cmd, "%s line %d: %v", list, line, err)
		}
		if len(rec) < 2 || (line == 1 && strings.EqualFold(strings.TrimSpace(rec[0]), "outlet")) {
			continue
		}
		outlet, counter := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		login, pw := hq.CounterLogin(outlet, counter), hq.NewPassword()
		s, err := hq.AddCounterSQL(outlet, counter, login, pw)
		if err != nil {
			return usageError(env, cmd, "%s line %d: %v", list, line, err)
		}
		sql.WriteString(s)
		out = append(out, []string{outlet, counter, login, pw})
	}
	if len(out) == 0 {
		return usageError(env, cmd, "%s has no outlet,counter lines", list)
	}
	pf, err := os.OpenFile(passwords, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return usageError(env, cmd, "passwords file: %v (it must not exist yet)", err)
	}
	w := csv.NewWriter(pf)
	_ = w.Write([]string{"outlet", "counter", "login", "password"})
	_ = w.WriteAll(out)
	if err := pf.Close(); err != nil || w.Error() != nil {
		return usageError(env, cmd, "passwords file: %v", errors.Join(err, w.Error()))
	}
	if !apply {
		fmt.Fprint(env.Stdout, sql.String())
		return ExitOK
	}
	if admin == "" {
		return usageError(env, cmd, "--apply needs --admin")
	}
	c, err := adminConn(ctx, admin)
	if err != nil {
		return headOfficeFailure(env, cmd, err)
	}
	defer c.Close(context.WithoutCancel(ctx))
	if err := hq.Exec(ctx, c, sql.String()); err != nil {
		return headOfficeFailure(env, cmd, err)
	}
	fmt.Fprintf(env.Stdout, "%d counters registered; their passwords are in %s\n", len(out), passwords)
	return ExitOK
}

// runSecret reads a password from stdin and stores it for the profile.
func runSecret(ctx context.Context, env *Env, cmd string, args []string, set func(v *vault.Vault, profile, pw string) error) int {
	fs := newFlags(env, cmd, "[--profile NAME] < password.txt")
	profile := fs.String("profile", "", "profile (default: the active one)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	v, err := openVault(env)
	if err != nil {
		return vaultFailure(env, cmd, err)
	}
	p, err := profileFor(env, v, *profile)
	if err != nil {
		return vaultFailure(env, cmd, err)
	}
	var raw []byte
	if env.StdinIsTerminal() && env.ReadPassword != nil {
		fmt.Fprintf(env.Stderr, "Password for profile %s: ", p.Name)
		raw, err = env.ReadPassword()
		fmt.Fprintln(env.Stderr)
	} else {
		raw, err = io.ReadAll(io.LimitReader(env.Stdin, vault.MaxTokenBytes+2))
	}
	if err != nil {
		return usageError(env, cmd, "read the password: %v", err)
	}
	if err := set(v, p.Name, strings.TrimSpace(string(raw))); err != nil {
		return vaultFailure(env, cmd, err)
	}
	fmt.Fprintf(env.Stdout, "password stored in %s for profile %s\n", v.KeyringName(), p.Name)
	return ExitOK
}

func parseReportDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(hq.DateLayout, s)
}

func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// filterFlags registers the common report filter.
func filterFlags(fs interface {
	String(string, string, string) *string
}) func() (hq.Filter, error) {
	from := fs.String("from", "", "first day YYYY-MM-DD (default: 29 days before --to)")
	to := fs.String("to", "", "last day YYYY-MM-DD (default: today)")
	outlets := fs.String("outlet", "", "only these outlets (comma-separated)")
	counters := fs.String("counter", "", "only these counter ids")
	products := fs.String("product", "", "only these products")
	return func() (hq.Filter, error) {
		f := hq.Filter{Outlets: list(*outlets), Counters: list(*counters), Products: list(*products)}
		var err error
		if f.From, err = parseReportDay(*from); err != nil {
			return f, fmt.Errorf("--from: want YYYY-MM-DD")
		}
		if f.To, err = parseReportDay(*to); err != nil {
			return f, fmt.Errorf("--to: want YYYY-MM-DD")
		}
		return f, nil
	}
}

func runHQOffice(ctx context.Context, env *Env, sub string, args []string) int {
	cmd := "hq " + sub
	fs := newFlags(env, cmd, "[flags]")
	profile := fs.String("profile", "", "profile with the head_office connection (default: the active one)")
	filter := filterFlags(fs)
	quota := fs.Int64("quota", -1, "quota: the token's daily quota of billable calls")
	call := fs.String("call", "", "resolve: the call id")
	started := fs.String("started", "", "resolve: the call's started_at as listed (RFC 3339)")
	billed := fs.Bool("billed", false, "resolve: the vendor billed it")
	notBilled := fs.Bool("not-billed", false, "resolve: the vendor did not bill it")
	note := fs.String("note", "", "resolve: why (at most 500 characters)")
	out := fs.String("out", "", "export: file to write (default: stdout)")
	file := fs.String("file", "", "invoice import: the vendor's billing CSV")
	mapping := fs.String("map", "", "invoice import: the column mapping JSON")
	name := fs.String("name", "", "invoice import: a name for it (default: the file name)")
	id := fs.Int("id", 0, "invoice reconcile: the import id")
	format := fs.String("format", "table", "table, csv or json")
	var action string
	if sub == "invoice" {
		if len(args) == 0 || (args[0] != "import" && args[0] != "reconcile" && args[0] != "list") {
			return usageError(env, cmd, "want import, reconcile or list")
		}
		action, args = args[0], args[1:]
	}
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	c, err := openHeadOffice(ctx, env, *profile)
	if err != nil {
		return headOfficeFailure(env, cmd, err)
	}
	defer c.Close()
	switch sub {
	case "quota":
		if *quota < 0 {
			return usageError(env, cmd, "--quota N is required")
		}
		if err := c.SetDailyQuota(ctx, *quota); err != nil {
			return headOfficeFailure(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "daily quota set to %d\n", *quota)
	case "maintain":
		n, err := c.Maintain(ctx)
		if err != nil {
			return headOfficeFailure(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "%d new monthly partitions\n", n)
	case "resolve":
		if *billed == *notBilled {
			return usageError(env, cmd, "choose --billed or --not-billed")
		}
		ts, err := time.Parse(time.RFC3339Nano, *started)
		if err != nil || *call == "" {
			return usageError(env, cmd, "--call ID and --started TIME (as `kycdesk report --unknown --format json` lists them) are required")
		}
		r := hq.ResolutionBilled
		if *notBilled {
			r = hq.ResolutionNotBilled
		}
		if err := c.Resolve(ctx, hq.CallKey{CallID: *call, StartedAt: ts}, r, *note); err != nil {
			return headOfficeFailure(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "call %s resolved as %s; its counter receives it at its next sync\n", *call, r)
	case "export":
		f, err := filter()
		if err != nil {
			return usageError(env, cmd, "%v", err)
		}
		w := env.Stdout
		if *out != "" {
			fh, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			if err != nil {
				return usageError(env, cmd, "%v", err)
			}
			defer fh.Close()
			w = fh
		}
		n, err := c.ExportCSV(ctx, w, f)
		if err != nil {
			return headOfficeFailure(env, cmd, err)
		}
		if *out != "" {
			fmt.Fprintf(env.Stdout, "%d calls written to %s\n", n, *out)
		}
	case "invoice":
		return runInvoice(ctx, env, c, action, *file, *mapping, *name, *id, *format)
	}
	return ExitOK
}

func runInvoice(ctx context.Context, env *Env, c *hq.Client, action, file, mapping, name string, id int, format string) int {
	cmd := "hq invoice " + action
	switch action {
	case "list":
		imps, err := c.InvoiceImports(ctx)
		if err != nil {
			return headOfficeFailure(env, cmd, err)
		}
		rows := [][]string{{"id", "name", "first_day", "last_day", "lines", "imported"}}
		for _, i := range imps {
			rows = append(rows, []string{strconv.Itoa(i.ID), i.Name, i.FirstDay, i.LastDay, strconv.Itoa(i.Lines), i.Imported.Format(time.RFC3339)})
		}
		return render(env, format, rows, imps)
	case "import":
		if file == "" || mapping == "" {
			return usageError(env, cmd, "--file CSV and --map JSON are required")
		}
		m, err := hq.LoadInvoiceMapping(mapping)
		if err != nil {
			return headOfficeFailure(env, cmd, err)
		}
		fh, err := os.Open(file)
		if err != nil {
			return usageError(env, cmd, "%v", err)
		}
		defer fh.Close()
		if name == "" {
			name = file
		}
		imp, err := c.ImportInvoice(ctx, name, fh, m)
		if err != nil {
			return headOfficeFailure(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "import %d: %d lines, %s to %s (kycdesk hq invoice reconcile --id %d)\n", imp.ID, imp.Lines, imp.FirstDay, imp.LastDay, imp.ID)
		return ExitOK
	}
	rec, err := c.Reconcile(ctx, id)
	if err != nil {
		return headOfficeFailure(env, cmd, err)
	}
	rows := [][]string{{"problem", "trx_id", "day", "outlet", "counter", "cust_ref_no", "our_outcome", "copies"}}
	for _, l := range rec.BilledWithoutSuccess {
		r := []string{"billed, no success", l.TrxID, l.BilledOn, "", "", "", "not found", strconv.Itoa(l.Copies)}
		if l.Call != nil {
			r[3], r[4], r[5], r[6] = l.Call.Outlet, l.Call.Counter, l.Call.CustRefNo, l.Call.Outcome
		}
		rows = append(rows, r)
	}
	for _, s := range rec.SuccessNotInvoiced {
		rows = append(rows, []string{"success, not invoiced", s.TrxID, s.Day, s.Outlet, s.Counter, s.CustRefNo, s.Outcome, "0"})
	}
	if format == "table" {
		fmt.Fprintf(env.Stdout, "invoice %d (%s, %s to %s): %d lines, %d matched, %d billed without success, %d successes not invoiced\n\n",
			rec.Import.ID, rec.Import.Name, rec.Import.FirstDay, rec.Import.LastDay, rec.Import.Lines, rec.Matched,
			len(rec.BilledWithoutSuccess), len(rec.SuccessNotInvoiced))
	}
	return render(env, format, rows, rec)
}

// render prints rows (header first) as an aligned table or CSV, or v as JSON.
func render(env *Env, format string, rows [][]string, v any) int {
	switch format {
	case "json":
		return writeJSON(env.Stdout, v)
	case "csv":
		w := csv.NewWriter(env.Stdout)
		for _, r := range rows {
			for i := range r {
				r[i] = hq.SafeCell(r[i])
			}
			_ = w.Write(r)
		}
		w.Flush()
		return ExitOK
	case "table":
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		for _, r := range rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		_ = tw.Flush()
		return ExitOK
	}
	return usageError(env, "report", "--format must be table, csv or json")
}
