#!/usr/bin/env bash
# Makes the test certificates of the certificate-bound token tests (RFC 8705), fresh for each build, so that no private
# key is ever committed: a CA, a server certificate for 127.0.0.1 and localhost (Keycloak's HTTPS port and the API's),
# and two client certificates signed by the CA (the caller's, and another client's for the stolen-token tests).
# Keys are EC P-256, PEM (PKCS#8). Maven runs it in generate-test-resources (pom.xml); Keycloak reads them at start.
#
#   src/test/tls/certs.sh <directory>     (default target/tls)
set -euo pipefail

# openssl, installed from Debian's packages when a fresh machine has none.
command -v openssl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }

out=${1:-target/tls}
mkdir -p "$out"
cd "$out"
if [[ -s ca.pem && -s server.pem && -s client.pem && -s other-client.pem ]]; then
  exit 0 # made by an earlier build of this checkout (target/ is wiped by `clean`)
fi
rm -f ./*.pem ./*.srl ./*.ext

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca-key.pem
openssl req -x509 -new -key ca-key.pem -sha256 -days 30 -subj "/CN=m2m-api test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

# sign <name> <subject> <extensions>
sign() {
  key "$1-key.pem"
  openssl req -new -key "$1-key.pem" -subj "$2" -out "$1.csr"
  printf '%s\n' "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 -sha256 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

sign server "/CN=localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost"
sign client "/CN=m2m-mtls-client" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
sign other-client "/CN=m2m-other-client" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
rm -f ca.srl
echo "tls: test certificates in $(pwd)"
