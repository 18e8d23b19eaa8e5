# KYC Desk. `make run` starts the app on the built-in sandbox; `make test` runs every test.
# Both check (and, as root, install) the Debian/Ubuntu packages they need first.

GO        ?= go
TAGS      := migrated_fynedo
VERSION   := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS   := -s -w -X kycdesk/kyc.Version=$(VERSION)
BIN       := kycdesk
FUZZTIME  ?= 10s

.PHONY: run test deps build lint vet fmt-check staticcheck unit fuzz window-check walkthrough bench bench-compare bench-start clean

run: deps
	$(GO) run -tags $(TAGS) -ldflags "$(LDFLAGS)" . --profile Sandbox

## test: lint, unit tests (with a real Secret Service), short fuzz runs, the real window under Xvfb
test: deps lint unit fuzz window-check
	@echo "make test: all passed"

deps:
	@bash .ci/deps.sh

build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .

lint: fmt-check vet staticcheck

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -tags $(TAGS) ./...

# staticcheck comes from the Go module proxy; skipped with a note when it cannot be had.
staticcheck:
	@if $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -version >/dev/null 2>&1; then \
		$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags $(TAGS) ./... ; \
	else echo "staticcheck: not available from the module proxy, skipped"; fi

# Unit tests run inside a private D-Bus session with an unlocked gnome-keyring, so the
# vault's one test against a real Secret Service runs too. The head office tests
# (kyc/sync, kyc/hq) start their own PostgreSQL (kyc/internal/pgtest) and fail,
# rather than skip, when it is missing.
unit:
	KYCDESK_REAL_KEYRING=1 KYCDESK_REQUIRE_PG=1 bash kyc/vault/testdata/with-keyring.sh \
		$(GO) test -tags $(TAGS) -count=1 -cover ./...

# Short runs of the fuzzers over hostile input: gateway answers, NIKs, image intake.
# (-fuzzminimizetime bounds the shrinking of each new input, which otherwise holds a
# worker for up to a minute and leaves a 10 s run with a handful of executions.)
FUZZ := -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s
fuzz:
	$(GO) test $(FUZZ) -fuzz '^FuzzDecodeAnswer$$' ./kyc/
	$(GO) test $(FUZZ) -fuzz '^FuzzParse$$' ./kyc/nik/
	$(GO) test $(FUZZ) -fuzz '^FuzzPrepare$$' ./kyc/photo/
	$(GO) test $(FUZZ) -fuzz '^FuzzDecode$$' ./kyc/photo/jpegscale/

window-check: build
	bash .ci/window-check.sh ./$(BIN)

# A whole customer through the real window at 1366×768 and 1024×768, by mouse and by
# keyboard, counting the clerk's actions; screenshots in walkthrough/ (not part of make test).
walkthrough: build
	@bash .ci/deps.sh walkthrough
	bash .ci/walkthrough.sh ./$(BIN) walkthrough

# In-process benchmarks (photo preparation, JPEG decoding, history, camera frames).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./kyc/...

# kycdesk prepare against libvips' vipsthumbnail on 12, 48 and 200 MP photos.
bench-compare:
	bash .ci/bench-compare.sh

# Cold start to a visible window, against a hello-world Fyne window.
bench-start:
	bash .ci/bench-start.sh

clean: clean-dist
	rm -rf $(BIN) $(BIN).exe shot.png window-check.png walkthrough

include packaging.mk
