#!/usr/bin/env bash
# Installs what avatar-site needs on Debian or Ubuntu, and is safe to run again (uses sudo when
# not run as root). Only what is missing is installed; the package lists are refreshed first then.
#
#   scripts/setup.sh           what `swift build` needs: libgd, fontconfig and libjpeg with their
#                              pkg-config files, libxml2, and the fonts placeholders are drawn with
#   scripts/setup.sh --tests   that, and what the tests need besides: nginx (the generated host
#                              config is served for real), systemd (the deploy units are verified),
#                              Chromium and its driver (the directory page is driven in a browser),
#                              Prometheus's promtool (the metrics and rules are checked), dpkg-dev
#                              and lintian (the Debian package is built and checked), and a
#                              virtualenv in .venv with the pinned Python packages of
#                              scripts/requirements-test.txt
set -euo pipefail
cd "$(dirname "$0")/.."

tests=0
case "${1:-}" in
  "") ;;
  --tests) tests=1 ;;
  -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
  *) echo "setup.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
esac

# Package.swift's system libraries (gdlib, fontconfig) and linked library (jpeg);
# libxml2-dev because a build with --static-swift-stdlib (install.sh, package-deb.sh) links
# FoundationXML, and with it libxml2, into the binary; the fonts of the placeholders.
packages=(pkg-config libgd-dev libfontconfig-dev libjpeg-dev libxml2 libxml2-dev
          fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk)
if [ "$tests" = 1 ]; then
  packages+=(nginx chromium chromium-driver systemd perl python3 python3-venv prometheus dpkg-dev lintian)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
[ "$tests" = 1 ] || exit 0

# Debian starts nginx and Prometheus as services on install (through systemd, or their init
# scripts where systemd is not running); the tests run their own instances on loopback, and
# Prometheus's own would hold port 9090.
for service in nginx prometheus; do
  if [ -d /run/systemd/system ]; then
    if systemctl is-active --quiet "$service"; then $sudo systemctl stop "$service" || true; fi
  elif [ -x "/etc/init.d/$service" ] && "/etc/init.d/$service" status >/dev/null 2>&1; then
    $sudo "/etc/init.d/$service" stop || true
  fi
done

requirements=scripts/requirements-test.txt
stamp=.venv/.requirements
if ! cat "$requirements" scripts/constraints-test.txt | cmp -s - "$stamp" 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$requirements" -c scripts/constraints-test.txt
  cat "$requirements" scripts/constraints-test.txt > "$stamp"
fi
