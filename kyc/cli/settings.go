package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"kycdesk/kyc/service"
)

// runSettings: kycdesk settings [show] [--json] | set [--retention-days N]
// [--keep-images=BOOL] [--consent-required=BOOL] [--consent-text S].
//
// `set` is also the repair of settings in doubt: it then needs --retention-days
// (the one value that must never be guessed), keeps the damaged file beside as
// settings.json.damaged-<time> and writes a valid one.
func runSettings(ctx context.Context, env *Env, args []string) int {
	sub := "show"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(env, "settings "+sub, "[show] [--json] | set [--retention-days N] [--keep-images=true|false] [--consent-required=true|false] [--consent-text TEXT]")
	asJSON := fs.Bool("json", false, "print one JSON object")
	days := fs.Int("retention-days", 0, fmt.Sprintf("set: keep call records this many days (%d–%d)", service.MinRetentionDays, service.MaxRetentionDays))
	keep := fs.Bool("keep-images", false, "set: keep the photos sent (sealed, 7 days)")
	consent := fs.Bool("consent-required", true, "set: require the customer's consent before every paid call")
	text := fs.String("consent-text", "", "set: the consent text shown and recorded (its version rises when it changes)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if sub == "show" && (given["retention-days"] || given["keep-images"] || given["consent-required"] || given["consent-text"]) {
		return usageError(env, "settings", "to change settings use `kycdesk settings set ...`")
	}
	desk, _, _, code := openStore(ctx, env, "settings", service.ProblemSettings)
	if code >= 0 {
		return code
	}
	defer desk.Close()
	st := desk.Settings()

	switch sub {
	case "show":
		return showSettings(env, st, *asJSON)
	case "set":
		s := st.Settings
		if !st.OK() {
			if !given["retention-days"] {
				hint := "N"
				if st.Problem.LastRetentionDays > 0 {
					hint = fmt.Sprint(st.Problem.LastRetentionDays)
				}
				return usageError(env, "settings set", "the settings are in doubt (%s %s): say which retention you want, e.g. `kycdesk settings set --retention-days %s`; nothing was changed",
					service.SettingsFile, st.Problem.Reason, hint)
			}
			s = service.DefaultSettings() // the other values: the protective defaults unless given
		}
		if given["retention-days"] {
			s.RetentionDays = *days
		}
		if given["keep-images"] {
			s.KeepImages = *keep
		}
		if given["consent-required"] {
			s.ConsentRequired = *consent
		}
		if given["consent-text"] {
			s.ConsentText = *text
		}
		if err := desk.SaveSettings(ctx, s); err != nil {
			var se *service.SettingsError
			if errors.As(err, &se) && se.Invalid {
				return usageError(env, "settings set", "%s; nothing was changed", se.Reason)
			}
			fmt.Fprintf(env.Stderr, "kycdesk settings set: %v\n", err)
			return ExitInternal
		}
		return showSettings(env, desk.Settings(), *asJSON)
	}
	return usageError(env, "settings", "unknown sub-command %q (want show or set)", sub)
}

func showSettings(env *Env, st service.SettingsState, asJSON bool) int {
	code := ExitOK
	if !st.OK() {
		code = ExitInternal
		fmt.Fprintf(env.Stderr, "kycdesk settings: %v\n", st.Problem)
	}
	if asJSON {
		obj := map[string]any{"path": st.Path, "ok": st.OK(), "settings": st.Settings}
		if !st.OK() {
			obj["problem"] = st.Problem.Error()
		}
		writeJSON(env.Stdout, obj)
		return code
	}
	if !st.OK() {
		return code
	}
	s := st.Settings
	fmt.Fprintf(env.Stdout, "Settings (%s):\n", st.Path)
	fmt.Fprintf(env.Stdout, "  retention        %d days\n", s.RetentionDays)
	fmt.Fprintf(env.Stdout, "  keep photos      %v\n", s.KeepImages)
	fmt.Fprintf(env.Stdout, "  consent required %v\n", s.ConsentRequired)
	fmt.Fprintf(env.Stdout, "  consent text     (version %d) %s\n", s.ConsentVersion, s.ConsentText)
	return code
}
