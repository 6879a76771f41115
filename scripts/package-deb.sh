#!/usr/bin/env bash
# Builds the Debian package dist/avatar-site_VERSION_ARCH.deb from a release build:
#   /usr/lib/avatar-site/avatar-site (+ its *.resources bundles)   the binary, stripped
#   /usr/bin/avatar-site                                        a symbolic link to it
#   /usr/lib/avatar-site/avatar-site-nightly.sh                 deploy/'s nightly job
#   /usr/lib/systemd/system/avatar-site.service, .timer         deploy/'s units, not enabled
#   /usr/share/man/man1/avatar-site.1.gz, bash, zsh and fish completions
#   /usr/share/doc/avatar-site/examples/site.yml                `avatar-site init`'s site.yml
# and a postinst that creates the system user avatar-site with /var/lib/avatar-site.
#
# Usage: scripts/package-deb.sh [--no-build | --bin-path DIR] [--output DIR]
#   --no-build      package the release build that is already there
#   --bin-path DIR  package the build in DIR (for example .build-release/release)
#   --output DIR    where the .deb goes (default dist/)
# The release build is install.sh's: --static-swift-stdlib, under the shared lock
# /tmp/avatar-site-build.lock (a caller that holds it sets AVATAR_SITE_BUILD_LOCK_HELD=1). A
# build that loads the Swift runtime from the toolchain is refused: the package depends on
# Debian's libraries only. Needs dpkg-dev (dpkg-shlibdeps); DEBFULLNAME and DEBEMAIL name
# another maintainer.
set -euo pipefail

build=1
bin=""
output=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --bin-path) bin="$(cd "${2:?--bin-path needs a folder}" && pwd)"; build=0; shift 2 ;;
    --bin-path=*) bin="$(cd "${1#--bin-path=}" && pwd)"; build=0; shift ;;
    --output) output="${2:?--output needs a folder}"; shift 2 ;;
    --output=*) output="${1#--output=}"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "package-deb.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$output"
output="$(cd "$output" && pwd)"
cd "$(dirname "$0")/.."

for tool in dpkg-deb dpkg-shlibdeps objdump strip; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "package-deb.sh: $tool is missing: apt-get install dpkg-dev (scripts/setup.sh --tests installs it)" >&2
    exit 1
  fi
done

if [ "$build" = 1 ]; then
  swiftpm=()
  if [ "${AVATAR_SITE_BUILD_LOCK_HELD:-}" = 1 ]; then swiftpm=(--ignore-lock); fi
  if [ "${AVATAR_SITE_BUILD_LOCK_HELD:-}" = 1 ]; then
    swift build "${swiftpm[@]}" -c release --product avatar-site --static-swift-stdlib
  else
    flock /tmp/avatar-site-build.lock swift build -c release --product avatar-site --static-swift-stdlib
  fi
fi
[ -n "$bin" ] || bin="$(swift build -c release --show-bin-path)"
if [ ! -x "$bin/avatar-site" ]; then
  echo "package-deb.sh: no release build in $bin (run without --no-build or --bin-path)" >&2
  exit 1
fi
toolchain="$(objdump -p "$bin/avatar-site" | awk '$1 == "NEEDED" && $2 ~ /^lib(swift|Foundation|_Foundation|dispatch|BlocksRuntime)/ { print $2 }')"
if [ -n "$toolchain" ]; then
  echo "package-deb.sh: $bin/avatar-site loads the Swift runtime from the toolchain ($(echo $toolchain)):" \
       "build it with swift build -c release --static-swift-stdlib" >&2
  exit 1
fi

version="$("$bin/avatar-site" --version)"
architecture="$(dpkg --print-architecture)"
package="$output/avatar-site_${version}_${architecture}.deb"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Laid out as debhelper lays a package out (debian/PACKAGE with its DEBIAN/), which is where
# dpkg-shlibdeps expects the files it reads.
root="$work/debian/avatar-site"
mkdir -p "$root/DEBIAN"
umask 022

# The binary, its bundles, the link, the completions and a manual page, laid out as install.sh
# lays them out; then moved where Debian looks for them.
AVATAR_SITE_INSTALL_MANUAL=page scripts/install.sh --bin-path "$bin" --prefix "$root/usr" >/dev/null
lib="$root/usr/lib/avatar-site"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$lib/avatar-site"
mkdir -p "$root/usr/share/zsh"
mv "$root/usr/share/zsh/site-functions" "$root/usr/share/zsh/vendor-completions"
gzip -9n "$root/usr/share/man/man1/avatar-site.1"
# A completion is sourced, not run: no #! line.
sed -i '1{/^#!/d}' "$root/usr/share/bash-completion/completions/avatar-site"
install -m 0755 deploy/avatar-site-nightly.sh "$lib/avatar-site-nightly.sh"

# deploy/'s units with the package's paths. The publishing command is the site's own, so it
# comes from the environment file: AVATAR_SITE_PUBLISH="/srv/avatars/hosting/sync-s3.sh s3://…"
# (systemd splits an unquoted $VARIABLE into words; unset, the job builds and publishes nothing).
units="$root/usr/lib/systemd/system"
mkdir -p "$units"
awk -v exec_start='ExecStart=/usr/lib/avatar-site/avatar-site-nightly.sh /etc/avatar-site/site.yml $AVATAR_SITE_PUBLISH' '
  NR == 1 {
    print "# Builds the avatar site from the directory and publishes it; started by avatar-site.timer."
    print "#"
    print "# Installed by the avatar-site package, not enabled. Write /etc/avatar-site/site.yml (an"
    print "# example is in /usr/share/doc/avatar-site/examples/) and, readable by root only, the"
    print "# environment file below with AVATAR_SITE_CLIENT_SECRET=…, the publishing tool'"'"'s credentials"
    print "# and AVATAR_SITE_PUBLISH=\"COMMAND ARGUMENTS…\" (none: the site is built, not published), then"
    print "#   systemctl enable --now avatar-site.timer"
    print "# Run once by hand with `systemctl start avatar-site`; read what happened with"
    print "# `journalctl -u avatar-site` and the output folder'"'"'s build-report.json."
  }
  header && /^#/ { next }
  { header = 0 }
  /^ExecStart=/ { print exec_start; next }
  /^EnvironmentFile=/ { sub(/=/, "=-"); print; next }
  /^ReadWritePaths=/ { sub(/=/, "=-"); print; next }
  { print }
' header=1 deploy/avatar-site.service > "$units/avatar-site.service"
for line in '^ExecStart=/usr/lib/avatar-site/avatar-site-nightly.sh ' '^EnvironmentFile=-/etc/avatar-site/environment$' \
             '^ReadWritePaths=-' '^User=avatar-site$'; do
  if ! grep -q "$line" "$units/avatar-site.service"; then
    echo "package-deb.sh: deploy/avatar-site.service no longer has a line the package rewrites ($line)" >&2
    exit 1
  fi
done
install -m 0644 deploy/avatar-site.timer "$units/avatar-site.timer"

# Documentation: the copyright, a changelog, and the site.yml `avatar-site init` writes, with
# the output in the service's state folder (which its sandbox lets it write).
doc="$root/usr/share/doc/avatar-site"
mkdir -p "$doc/examples"
install -m 0644 packaging/deb/copyright "$doc/copyright"
"$bin/avatar-site" init "$work/example" >/dev/null
sed 's|^\(  dir: \)output\b|\1/var/lib/avatar-site/output|' "$work/example/site.yml" > "$doc/examples/site.yml"
if ! grep -q '^  dir: /var/lib/avatar-site/output' "$doc/examples/site.yml"; then
  echo "package-deb.sh: avatar-site init no longer writes output.dir as the package expects" >&2
  exit 1
fi
chmod 0644 "$doc/examples/site.yml"
maintainer="avatar-site maintainers <maintainers@users.noreply.h-seed-fad611ff.example>"
if [ -n "${DEBEMAIL:-}" ]; then maintainer="${DEBFULLNAME:-avatar-site maintainers} <$DEBEMAIL>"; fi
{
  echo "avatar-site ($version) unstable; urgency=medium"
  echo
  echo "  * avatar-site $version, built from its source tree."
  echo
  echo " -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$doc/changelog.gz"
mkdir -p "$root/usr/share/lintian/overrides"
install -m 0644 packaging/deb/lintian-overrides "$root/usr/share/lintian/overrides/avatar-site"

# Every file as dpkg would lay it: owned by root (dpkg-deb --root-owner-group), u=rwX,go=rX.
chmod -R u+rwX,go=rX,go-w "$root"

# Depends: the shared libraries the binary loads, as Debian's packages that hold them, and the
# fonts placeholders are drawn with (DejaVu Sans Bold by default; Noto for other scripts).
printf 'Source: avatar-site\n\nPackage: avatar-site\nArchitecture: any\n' > "$work/debian/control"
shlibs="$(cd "$work" && dpkg-shlibdeps -O "$lib/avatar-site")"
shlibs="${shlibs#shlibs:Depends=}"
if [ -z "$shlibs" ]; then
  echo "package-deb.sh: dpkg-shlibdeps found no library the binary loads" >&2
  exit 1
fi

install -m 0755 packaging/deb/postinst packaging/deb/postrm "$root/DEBIAN/"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
  > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"
installed_size="$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s|@VERSION@|$version|" -e "s|@ARCHITECTURE@|$architecture|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@INSTALLED_SIZE@|$installed_size|" -e "s|@SHLIBS@|$shlibs|" packaging/deb/control > "$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control"

dpkg-deb --build --root-owner-group -Zxz "$root" "$package" >/dev/null
echo "$package"
