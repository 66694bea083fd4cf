# Installs what the tests need on a fresh Debian machine, and nothing that is already there.

apt_install_missing() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "scripts/test: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_test_dependencies() {
  # postgresql: the second store backend; chromium + chromium-driver: the browser tests;
  # fonts-noto-core: Arabic glyphs for screenshots; python3 finds free ports;
  # libssl-dev and pkg-config: OpenSSL for webauthn-rs.
  apt_install_missing postgresql chromium chromium-driver fonts-noto-core python3 libssl-dev pkg-config
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
}
