package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"kycdesk/kyc/sandbox"
)

// runSandbox serves the offline gateway until interrupted.
func runSandbox(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "sandbox", "[--addr 127.0.0.1:8787] [--latency 300ms] [--quota 500] [--log FILE]")
	addr := fs.String("addr", sandbox.LoopbackAddr, "address to listen on (loopback by default; the sandbox is for development and training)")
	latency := fs.Duration("latency", sandbox.DefaultLatency, "typical answer time (jittered ±50%); 0 answers at once")
	quota := fs.Int("quota", sandbox.DefaultDailyQuota, "billable calls per token per day; negative for unlimited")
	slow := fs.Duration("slow", sandbox.DefaultSlowDelay, "how long an sbx-slow call waits before answering")
	logPath := fs.String("log", "", "append one JSON line per request to FILE: path, status, cust_ref_no, billed (a SUCCESSFUL answer), answered (written whole); never a token or image")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	cfg := sandbox.DefaultConfig()
	if env.Sandbox != nil {
		cfg = *env.Sandbox
	}
	cfg.Latency, cfg.SlowDelay = *latency, *slow
	if *quota != 0 {
		cfg.DailyQuota = *quota
	}
	if *logPath != "" {
		f, err := os.OpenFile(*logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk sandbox: %v\n", err)
			return ExitUsage
		}
		defer f.Close()
		cfg.Logger = slog.New(slog.NewJSONHandler(f, nil))
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := sandbox.Serve(ctx, *addr, cfg, env.Stdout); err != nil {
		fmt.Fprintf(env.Stderr, "kycdesk sandbox: %v\n", err)
		return ExitFailed
	}
	return ExitOK
}
