#!/usr/bin/env bash
# Regenerates the test PEM files of this directory (EC P-256, valid for 100 years), with OpenSSL 3.
#   ca.pem / ca.key          the test cluster's authority
#   node.pem / node.key      a cluster member (SAN localhost, 127.0.0.1, ::1), signed by ca
#   client.pem / client.key  a client certificate, signed by ca
#   rogue-ca.pem, rogue.pem / rogue.key   another authority and a member signed by it
#   node-traditional.key     node.key in the pre-PKCS#8 "EC PRIVATE KEY" form (rejected, with a hint)
# Test material only: never use these keys for anything else.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
ca() { # name subject
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days $days \
    -subj "/CN=$2" -keyout "$1.key" -out "$1.pem" 2>/dev/null
}
leaf() { # name ca subject
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$3" \
    -keyout "$1.key" -out "$1.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth,clientAuth\n' > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days $days \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
ca ca "jask test CA"
leaf node ca "jask test node"
leaf client ca "jask test client"
ca rogue-ca "rogue test CA"
leaf rogue rogue-ca "rogue node"
openssl pkey -in node.key -traditional -out node-traditional.key
rm -f ./*.srl rogue-ca.key
