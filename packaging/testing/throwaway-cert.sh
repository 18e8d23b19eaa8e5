#!/usr/bin/env bash
# throwaway-cert.sh DIR: makes a throwaway CA and a code-signing certificate it issued,
# valid for two days, for testing `make sign-windows` (CI, check-packages). Writes
# DIR/ca.pem (the CA to verify against) and DIR/sign.pfx (certificate + key + CA), whose
# password it takes from KYCDESK_SIGN_PASSWORD. Never use these for a real release:
# anyone can make a CA with any name; only a CA in Windows' trust store means something.
set -euo pipefail
dir=${1:?usage: throwaway-cert.sh DIR}
: "${KYCDESK_SIGN_PASSWORD:?set KYCDESK_SIGN_PASSWORD}"
mkdir -p "$dir"
cd "$dir"
umask 077
openssl req -x509 -newkey rsa:3072 -nodes -keyout ca.key -out ca.pem -days 2 -sha256 \
	-subj "/O=KYC Desk CI/CN=KYC Desk throwaway test root (not trusted)" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:3072 -nodes -keyout sign.key -out sign.csr -sha256 \
	-subj "/O=KYC Desk CI/CN=KYC Desk CI code signing (throwaway)" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' >sign.ext
openssl x509 -req -in sign.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -sha256 \
	-extfile sign.ext -out sign.pem 2>/dev/null
openssl pkcs12 -export -out sign.pfx -inkey sign.key -in sign.pem -certfile ca.pem \
	-name "KYC Desk CI" -passout env:KYCDESK_SIGN_PASSWORD
rm -f ca.key sign.key sign.csr sign.ext ca.srl
