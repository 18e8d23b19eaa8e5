# Native packages (included from the Makefile). Everything lands in dist/:
#
#   make package-linux     dist/kycdesk-VERSION-linux-amd64.tar.xz       (on Linux)
#   make package-windows   dist/kycdesk-VERSION-windows-amd64.zip        (cross-built on Linux, mingw-w64)
#   make package-msi       dist/kycdesk-VERSION-windows-amd64.msi       (wixl, around the exe of package-windows)
#   make sign-windows      Authenticode-sign the exe in that zip, and the MSI (rebuilt around
#                          the signed exe) when there is one           (KYCDESK_SIGN_PFX, KYCDESK_SIGN_PASSWORD)
#   make package-darwin    dist/kycdesk-VERSION-darwin-ARCH.zip (.app)   (on a Mac; signs/notarizes when configured)
#   make check-packages    build the Linux and Windows packages and the MSI, check everything (CI)
#   make check-tag TAG=v1.2.3   fail unless the tag matches FyneApp.toml's Version
#   make fyne ARGS="version"    run the pinned fyne tool (packaging/tools.mod)
#
# VERSION (from FyneApp.toml, the one source) is defined by the Makefile; the scripts
# re-read it from FyneApp.toml if this file is used on its own.

GO      ?= go
VERSION ?= $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
PKGENV  := KYCDESK_VERSION=$(VERSION) GO=$(GO)

.PHONY: package-linux package-windows package-msi sign-windows package-darwin check-packages check-tag fyne clean-dist

package-linux:
	@$(PKGENV) bash packaging/package-linux.sh

package-windows:
	@$(PKGENV) bash packaging/package-windows.sh

package-msi:
	@$(PKGENV) bash packaging/package-msi.sh

sign-windows:
	@$(PKGENV) bash packaging/sign-windows.sh

package-darwin:
	@$(PKGENV) bash packaging/package-darwin.sh

check-packages:
	@$(PKGENV) MAKE="$(MAKE)" bash .ci/check-packages.sh

# The release workflow runs this first: a tag is only a name for a commit whose
# FyneApp.toml already carries the version.
check-tag:
	@test -n "$(TAG)" || { echo "check-tag: give TAG=vX.Y.Z"; exit 1; }
	@if [ "$(TAG)" != "v$(VERSION)" ]; then \
		echo "check-tag: tag $(TAG) does not match FyneApp.toml Version $(VERSION) (want v$(VERSION))"; exit 1; fi
	@echo "check-tag: $(TAG) matches FyneApp.toml"

fyne:
	$(GO) tool -modfile=packaging/tools.mod fyne $(ARGS)

clean-dist:
	rm -rf dist
