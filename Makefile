# KYC Desk. `make run` starts the app on the built-in sandbox; `make test` runs every test.
# Both check (and, as root, install) the Debian/Ubuntu packages they need first.

GO        ?= go
TAGS      := migrated_fynedo
VERSION   := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS   := -s -w -X kycdesk/kyc.Version=$(VERSION)
BIN       := kycdesk
FUZZTIME  ?= 10s

.PHONY: run test deps build lint vet fmt-check staticcheck actionlint unit race fuzz window-check no-opengl-check walkthrough bench bench-compare bench-heic bench-start clean

run: deps
	$(GO) run -tags $(TAGS) -ldflags "$(LDFLAGS)" . --profile Sandbox

## test: lint, unit tests (with a real Secret Service; the fault-injection tests run the
## real binary), the race detector, short fuzz runs, the real window under Xvfb, and the
## message a PC without OpenGL gets (Xvfb without GLX)
test: deps lint unit race fuzz window-check no-opengl-check
	@echo "make test: all passed"

deps:
	@bash .ci/deps.sh

build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .

lint: fmt-check vet staticcheck actionlint

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -tags $(TAGS) ./...

# staticcheck and actionlint are pinned tool dependencies in .ci/lint.mod (not in go.mod,
# where a tool line would lift the app's own dependencies), fetched through the Go module
# proxy. A tool that cannot be had fails the build: a lint that silently skips is no lint.
LINTTOOL := $(GO) tool -modfile=.ci/lint.mod
staticcheck:
	$(LINTTOOL) staticcheck -tags $(TAGS) ./...

actionlint:
	$(LINTTOOL) actionlint -shellcheck= .github/workflows/*.yml

# Unit tests run inside a private D-Bus session with an unlocked gnome-keyring, so the
# vault's one test against a real Secret Service runs too, and the fault-injection tests
# (kyc/faulttest) run the binary built here. The head office tests (kyc/hqsync, kyc/hq)
# start their own PostgreSQL (kyc/internal/pgtest) and fail, rather than skip, when it
# is missing.
unit: build
	KYCDESK_BIN=$(CURDIR)/$(BIN) KYCDESK_REAL_KEYRING=1 KYCDESK_REQUIRE_PG=1 bash kyc/vault/testdata/with-keyring.sh \
		$(GO) test -tags $(TAGS) -count=1 -cover ./...

# Every package under the race detector, the GUI's included. kyc/faulttest is left out:
# it drives the already-tested binary in other processes, and `make unit` ran it. -short
# skips the slowest hostile-input cases (covered by `make unit`); the timeout allows for
# the detector's 5–20× slowdown of the image pipeline on a busy machine. The window's
# packages run last, one at a time: their camera tests wait for frames in real time and
# must not share the two cores with the image pipeline's tests under the detector.
RACE := $(GO) test -race -short -timeout 20m -tags $(TAGS) -count=1
race:
	KYCDESK_REAL_KEYRING=1 bash kyc/vault/testdata/with-keyring.sh \
		$(RACE) $$($(GO) list ./... | grep -v -e /kyc/faulttest -e /app -e /widgets)
	$(RACE) -p 1 ./app/... ./widgets/...

# Short runs of the fuzzers over hostile input: gateway answers, NIKs, image intake, HEIF boxes.
# (-fuzzminimizetime bounds the shrinking of each new input, which otherwise holds a
# worker for up to a minute and leaves a 10 s run with a handful of executions.)
# .ci/fuzz.sh tells Go 1.26's end-of-fuzztime race (golang/go#75804) from a real failure.
FUZZ := -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s
fuzz:
	bash .ci/fuzz.sh FuzzDecodeAnswer ./kyc $(FUZZ)
	bash .ci/fuzz.sh FuzzParse ./kyc/nik $(FUZZ)
	bash .ci/fuzz.sh FuzzPrepare ./kyc/photo $(FUZZ)
	bash .ci/fuzz.sh FuzzParse ./kyc/photo/heif $(FUZZ)
	bash .ci/fuzz.sh FuzzDecode ./kyc/photo/jpegscale $(FUZZ)

window-check: build
	bash .ci/window-check.sh ./$(BIN)

no-opengl-check: build
	bash .ci/no-opengl-check.sh ./$(BIN)

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

# kycdesk prepare on 12 and 48 MP phone-like HEICs, with the system libheif and in WebAssembly.
bench-heic:
	bash .ci/bench-heic.sh

# Cold start to a visible window, against a hello-world Fyne window.
bench-start:
	bash .ci/bench-start.sh

clean: clean-dist
	rm -rf $(BIN) $(BIN).exe shot.png window-check.png walkthrough

include packaging.mk
