#!/usr/bin/env bash
# Generates the test PKI of the TLS suite into DIR with the openssl CLI.
#
#   tests/tls/gen_pki.sh DIR
#
# Idempotent: when DIR already holds a complete PKI of this script's version
# made less than 700 days ago (its valid certificates last 825 days), nothing
# is done. Otherwise DIR's PKI files are (re)made from scratch (about 1-2 s; the
# RSA-4096 key is most of it).
#
# Files (*.key are unencrypted PKCS#8 keys; each *.pem one certificate unless
# noted):
#   ec-root.pem         ECDSA P-256 root CA                    (trust anchor)
#   ec-int.pem          ECDSA P-256 intermediate, signed by ec-root
#   ec-leaf.pem/.key    ECDSA P-256 leaf: DNS:localhost, IP:127.0.0.1
#   ec-chain.pem        ec-leaf + ec-int (what a server presents)
#   rsa-root.pem        RSA-4096 root CA                       (trust anchor)
#   rsa-int.pem         RSA-2048 intermediate (like Let's Encrypt R1x)
#   rsa-leaf.pem/.key   RSA-2048 leaf: DNS:localhost, IP:127.0.0.1
#   rsa-chain.pem       rsa-leaf + rsa-int
#   roots.pem           ec-root + rsa-root (combined trust file)
# Negative leaves, all ECDSA P-256; each is wrong in exactly one way:
#   wrongname-chain.pem/-leaf.key   only DNS:other.test, signed by ec-int
#   zeroip-chain.pem/-leaf.key      only IP:127.0.0.10, signed by ec-int:
#                                   not the host "127.0.0.010" (127.0.0.8
#                                   to the resolver, which reads octal)
#   dnsip-chain.pem/-leaf.key       only DNS:127.0.0.1 (the address as a
#                                   name, no IP entry), signed by ec-int
#   cnip-chain.pem/-leaf.key        no subjectAltName, CN 127.0.0.1, signed
#                                   by ec-int
# IPv6:
#   ip6-chain.pem/-leaf.key         only IP:::1, signed by ec-int
#   expired-chain.pem/-leaf.key     localhost/127.0.0.1, valid from 30 days
#                                   ago until yesterday, signed by ec-int
#   future-chain.pem/-leaf.key      localhost/127.0.0.1, valid from 10 years
#                                   from now, signed by ec-int
#   january-chain.pem/-leaf.key     localhost/127.0.0.1, valid from 10
#                                   January 2030 to noon on the 20th,
#                                   signed by ec-int
#   selfsigned.pem/.key             localhost/127.0.0.1, self-signed (CA:FALSE)
#   evil-root.pem                   a second P-256 root that nobody trusts
#   untrusted-chain.pem/-leaf.key   localhost/127.0.0.1, signed by evil-root
# (Each *-chain.pem is the leaf followed by its issuing intermediate, where
# there is one.)
#
# `openssl x509 -req` in OpenSSL 3.0 has no -not_before/-not_after, so the two
# date-shifted leaves are issued with `openssl ca -startdate/-enddate` and a
# minimal CA configuration written into DIR/ca.
set -euo pipefail

VERSION=5   # bump when the set of files or their contents change

dir=${1:-}
if [ -z "$dir" ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
mkdir -p "$dir"
cd "$dir"

# stamp: "VERSION EPOCH-SECONDS-WHEN-MADE". The valid certificates last 825
# days; remake after 700 so that they always have months left.
now=$(date +%s)
if [ -f stamp ]; then
    read -r v made < stamp || true
    if [ "${v:-}" = "$VERSION" ] && [ -n "${made:-}" ] \
            && [ $((now - made)) -ge 0 ] && [ $((now - made)) -lt $((700 * 86400)) ]; then
        ok=1
        for f in ec-root.pem ec-chain.pem ec-leaf.key rsa-root.pem rsa-chain.pem \
                 rsa-leaf.key roots.pem wrongname-chain.pem wrongname-leaf.key \
                 expired-chain.pem expired-leaf.key future-chain.pem \
                 future-leaf.key selfsigned.pem selfsigned.key evil-root.pem \
                 untrusted-chain.pem untrusted-leaf.key zeroip-chain.pem \
                 zeroip-leaf.key dnsip-chain.pem dnsip-leaf.key \
                 cnip-chain.pem cnip-leaf.key ip6-chain.pem ip6-leaf.key \
                 january-chain.pem january-leaf.key; do
            [ -s "$f" ] || ok=0
        done
        [ "$ok" = 1 ] && exit 0
    fi
fi

rm -rf stamp ca ./*.pem ./*.key ./*.csr ./*.ext ./*.srl
umask 077

key_ec()  { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
                -pkeyopt ec_param_enc:named_curve -out "$1" 2>/dev/null; }
key_rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$2" \
                -out "$1" 2>/dev/null; }

cat > ca.ext <<'EOF'
[req]
distinguished_name = dn
[dn]

[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[int]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[selfsigned]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = DNS:localhost, IP:127.0.0.1
EOF
# the leaves: the same extensions, each with its own subjectAltName (cnip
# none: its name is only the CN)
for s in "leaf:DNS:localhost, IP:127.0.0.1" "wrongname:DNS:other.test" \
         "zeroip:IP:127.0.0.10" "dnsip:DNS:127.0.0.1" "ip6:IP:::1" "cnip:"; do
    printf '\n[%s]\nbasicConstraints = critical, CA:FALSE\n' "${s%%:*}"
    printf 'keyUsage = critical, digitalSignature, keyEncipherment\n'
    printf 'extendedKeyUsage = serverAuth\nsubjectKeyIdentifier = hash\n'
    printf 'authorityKeyIdentifier = keyid:always\n'
    [ -z "${s#*:}" ] || printf 'subjectAltName = %s\n' "${s#*:}"
done >> ca.ext

serial=1000
root() { # name keyfile CN
    openssl req -new -x509 -key "$2" -subj "/O=bact TLS tests/CN=$3" \
        -days 3650 -sha256 -set_serial $((serial += 1)) \
        -config ca.ext -extensions root -out "$1.pem"
}
sign() { # name keyfile CN issuer section days
    openssl req -new -key "$2" -subj "/O=bact TLS tests/CN=$3" \
        -config ca.ext -out "$1.csr"
    openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" \
        -set_serial $((serial += 1)) -days "$6" -sha256 \
        -extfile ca.ext -extensions "$5" -out "$1.pem" 2>/dev/null
    rm -f "$1.csr"
}

# ---- ECDSA P-256: root -> intermediate -> leaf ----
key_ec ec-root.key
root ec-root ec-root.key "bact test ECDSA root"
key_ec ec-int.key
sign ec-int ec-int.key "bact test ECDSA intermediate" ec-root int 3000
key_ec ec-leaf.key
sign ec-leaf ec-leaf.key localhost ec-int leaf 825
cat ec-leaf.pem ec-int.pem > ec-chain.pem

# ---- RSA: 4096 root -> 2048 intermediate -> 2048 leaf ----
key_rsa rsa-root.key 4096
root rsa-root rsa-root.key "bact test RSA-4096 root"
key_rsa rsa-int.key 2048
sign rsa-int rsa-int.key "bact test RSA-2048 intermediate" rsa-root int 3000
key_rsa rsa-leaf.key 2048
sign rsa-leaf rsa-leaf.key localhost rsa-int leaf 825
cat rsa-leaf.pem rsa-int.pem > rsa-chain.pem

cat ec-root.pem rsa-root.pem > roots.pem

# ---- negative leaves ----
key_ec wrongname-leaf.key
sign wrongname-leaf wrongname-leaf.key other.test ec-int wrongname 825
cat wrongname-leaf.pem ec-int.pem > wrongname-chain.pem

key_ec zeroip-leaf.key
sign zeroip-leaf zeroip-leaf.key 127.0.0.10 ec-int zeroip 825
cat zeroip-leaf.pem ec-int.pem > zeroip-chain.pem

# the address spelt as a name: an IP host matches only an iPAddress entry
key_ec dnsip-leaf.key
sign dnsip-leaf dnsip-leaf.key 127.0.0.1 ec-int dnsip 825
cat dnsip-leaf.pem ec-int.pem > dnsip-chain.pem

key_ec cnip-leaf.key
sign cnip-leaf cnip-leaf.key 127.0.0.1 ec-int cnip 825
cat cnip-leaf.pem ec-int.pem > cnip-chain.pem

key_ec ip6-leaf.key
sign ip6-leaf ip6-leaf.key ::1 ec-int ip6 825
cat ip6-leaf.pem ec-int.pem > ip6-chain.pem

key_ec selfsigned.key
openssl req -new -x509 -key selfsigned.key -subj "/O=bact TLS tests/CN=localhost" \
    -days 825 -sha256 -set_serial $((serial += 1)) -config ca.ext \
    -extensions selfsigned -out selfsigned.pem 2>/dev/null

key_ec evil-root.key
root evil-root evil-root.key "bact test untrusted root"
key_ec untrusted-leaf.key
sign untrusted-leaf untrusted-leaf.key localhost evil-root leaf 825
cp untrusted-leaf.pem untrusted-chain.pem

# Date-shifted leaves via `openssl ca` (UTCTime: YYMMDDHHMMSSZ).
mkdir -p ca/new
: > ca/index.txt
echo 2000 > ca/serial
cat > ca/ca.cnf <<EOF
[ca]
default_ca = testca
[testca]
dir = $PWD/ca
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir/new
certificate = $PWD/ec-int.pem
private_key = $PWD/ec-int.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
email_in_dn = no
[anything]
organizationName = optional
commonName = supplied
EOF
utc() { date -u -d "$1" +%y%m%d%H%M%SZ; }
dated() { # name start end
    key_ec "$1-leaf.key"
    openssl req -new -key "$1-leaf.key" -subj "/O=bact TLS tests/CN=localhost" \
        -config ca.ext -out "$1.csr" 2>/dev/null
    openssl ca -batch -notext -config ca/ca.cnf -in "$1.csr" \
        -startdate "$2" -enddate "$3" -extfile ca.ext -extensions leaf \
        -out "$1-leaf.pem" 2>/dev/null
    rm -f "$1.csr"
    cat "$1-leaf.pem" ec-int.pem > "$1-chain.pem"
}
dated expired "$(utc '-30 days')" "$(utc '-1 day')"
dated future "$(utc '+3650 days')" "$(utc '+4015 days')"
dated january 300110000000Z 300120120000Z

rm -f ca.ext
# certificates readable by any server process (nginx workers); keys stay 0600
chmod 644 ./*.pem
echo "$VERSION $now" > stamp
