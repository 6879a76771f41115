#!/usr/bin/env bash
# Installs what avatar-site and its tests need on Debian or Ubuntu, and is safe to run again
# (uses sudo when not run as root):
# - libgd (with its pkg-config file) and the fonts placeholders are drawn with;
# - for the tests: nginx (the generated host config is served for real), systemd (the deploy
#   units are verified), Chromium and its driver (the directory page is driven in a browser),
#   and a virtualenv in .venv with the pinned Python packages of scripts/requirements-test.txt
#   (Selenium, axe, Microsoft's Graph SDK, moto's S3 server, the AWS CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libgd-dev libfontconfig-dev libxml2 pkg-config fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk
          nginx chromium chromium-driver python3 python3-venv systemd perl)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
# Debian starts nginx as a service on install; the tests run their own instances on loopback.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  $sudo systemctl stop nginx || true
fi

requirements=scripts/requirements-test.txt
stamp=.venv/.requirements
if ! cat "$requirements" scripts/constraints-test.txt | cmp -s - "$stamp" 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$requirements" -c scripts/constraints-test.txt
  cat "$requirements" scripts/constraints-test.txt > "$stamp"
fi
