#!/usr/bin/env bash
# Makes the TLS material the HTTPS tests use, in the folder given (default build/certs):
#   ca.pem, ca.key           a test CA
#   server.pem, server.key   a certificate for 127.0.0.1 and localhost, signed by that CA
#   other-ca.pem             an unrelated CA (trusting it must not make server.pem valid)
# Idempotent: existing files are kept while they are valid for at least another day.
set -euo pipefail
out=${1:-build/certs}
mkdir -p "$out"
cd "$out"
if [ -f server.pem ] && openssl x509 -checkend 86400 -noout -in server.pem >/dev/null 2>&1 \
   && [ -f other-ca.pem ]; then
  exit 0
fi
subj() { printf '/CN=%s' "$1"; }
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "$(subj 'libremoteit test CA')" \
  -keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "$(subj localhost)" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile server.ext -out server.pem 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "$(subj 'unrelated test CA')" \
  -keyout other-ca.key -out other-ca.pem -addext basicConstraints=critical,CA:TRUE 2>/dev/null
rm -f server.csr server.ext ca.srl
