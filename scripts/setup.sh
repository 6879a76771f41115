#!/usr/bin/env bash
# Installs what avatar-site needs on Debian or Ubuntu: libgd (with its pkg-config file) and the
# fonts placeholders are drawn with. Safe to run again; uses sudo when not run as root.
set -euo pipefail
packages=(libgd-dev libfontconfig-dev pkg-config fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
