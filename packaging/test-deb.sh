#!/usr/bin/env bash
# Builds mamar's Debian package, installs it into a clean Debian chroot made with debootstrap,
# checks what the package put in place, starts `mamar serve` there as the mamar user with the
# installed configuration, and checks that it serves the setup page.
#
# Needs root, debootstrap and a Debian mirror; takes several minutes. Not part of ./scripts/test.
#   sudo packaging/test-deb.sh                 # builds the package with cargo-deb first
#   sudo DEB=target/debian/mamar_0.1.0-1_amd64.deb packaging/test-deb.sh
# Settings: SUITE (bookworm), MIRROR (http://deb.debian.org/debian), PORT (18080), KEEP=1 keeps the chroot,
# BASE=DIR copies an untouched debootstrap of SUITE from DIR instead of making one.
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
PORT=${PORT:-18080}
[ "$(id -u)" = 0 ] || { echo "test-deb.sh: run as root (debootstrap and chroot need it)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "test-deb.sh: apt-get install debootstrap" >&2; exit 1; }

if [ -z "${DEB:-}" ]; then
    cargo deb -p mamar --locked
    DEB=$(ls -t target/debian/mamar_*.deb | head -n 1)
fi
echo "package: $DEB"

CHROOT=$(mktemp -d /tmp/mamar-deb-chroot.XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    umount "$CHROOT/proc" 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "chroot kept in $CHROOT"; else rm -rf "$CHROOT"; fi
}
trap cleanup EXIT

echo "== a clean Debian $SUITE in $CHROOT"
if [ -n "${BASE:-}" ] && [ -d "$BASE/etc" ]; then
    # A copy of an untouched debootstrap made earlier (BASE=DIR), for quicker reruns.
    cp -a "$BASE/." "$CHROOT/"
else
    debootstrap --variant=minbase "$SUITE" "$CHROOT" "$MIRROR" >"$CHROOT.debootstrap.log" 2>&1 ||
        { tail -n 20 "$CHROOT.debootstrap.log"; exit 1; }
    rm -f "$CHROOT.debootstrap.log"
fi
mount -t proc proc "$CHROOT/proc"
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
cp "$DEB" "$CHROOT/tmp/mamar.deb"

echo "== apt install ./mamar.deb"
chroot "$CHROOT" apt-get update -q >/dev/null
chroot "$CHROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/mamar.deb

fail() { echo "FAIL: $*" >&2; exit 1; }
echo "== what the package put in place"
chroot "$CHROOT" id mamar || fail "no mamar user"
[ -x "$CHROOT/usr/bin/mamar" ] || fail "no /usr/bin/mamar"
unit=$(ls "$CHROOT"/lib/systemd/system/mamar.service "$CHROOT"/usr/lib/systemd/system/mamar.service 2>/dev/null | head -n 1)
[ -n "$unit" ] || fail "no mamar.service"
grep -q '^ProtectSystem=strict' "$unit" || fail "the unit is not the hardened one"
# stat inside the chroot, so that user and group names are the chroot's.
owner() { chroot "$CHROOT" stat -c "$1" "$2"; }
[ "$(owner '%U:%G %a' /etc/mamar/mamar.toml)" = "root:mamar 640" ] ||
    fail "/etc/mamar/mamar.toml: $(owner '%U:%G %a' /etc/mamar/mamar.toml)"
[ "$(owner '%U:%G %a' /var/lib/mamar)" = "mamar:mamar 700" ] ||
    fail "/var/lib/mamar: $(owner '%U:%G %a' /var/lib/mamar)"
chroot "$CHROOT" /usr/bin/mamar --version

echo "== mamar serve as the mamar user, with the installed configuration"
chroot "$CHROOT" setpriv --reuid=mamar --regid=mamar --init-groups \
    env MAMAR_CONFIG=/etc/mamar/mamar.toml MAMAR_LISTEN="127.0.0.1:$PORT" /usr/bin/mamar serve &
server=$!
page=""
for _ in $(seq 1 60); do
    if page=$(chroot "$CHROOT" /usr/bin/env bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT && printf 'GET /en/ HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 && cat <&3" 2>/dev/null); then
        [ -n "$page" ] && break
    fi
    sleep 1
done
echo "$page" | head -n 1
echo "$page" | grep -q "mamar init" || fail "the setup page did not appear"
[ "$(owner '%U %a' /var/lib/mamar/data)" = "mamar 700" ] || fail "the data directory is not mamar's alone"
chroot "$CHROOT" setpriv --reuid=mamar --regid=mamar --init-groups \
    env MAMAR_CONFIG=/etc/mamar/mamar.toml /usr/bin/mamar doctor || true
echo "OK: the package installs on a clean Debian $SUITE and serves the setup page"
