#!/usr/bin/env bash
# Builds avatar-site for release and installs it so that it works from any folder:
#   PREFIX/lib/avatar-site/avatar-site              the binary
#   PREFIX/lib/avatar-site/*.resources              its resource bundles (the directory page's template)
#   PREFIX/bin/avatar-site                          a symbolic link to the binary
#   PREFIX/share/bash-completion/completions/avatar-site, PREFIX/share/zsh/site-functions/_avatar-site,
#   PREFIX/share/fish/vendor_completions.d/avatar-site.fish
#   PREFIX/share/man/man1/avatar-site.1
#
# Usage: scripts/install.sh [--prefix /usr/local] [--no-build | --bin-path DIR]
#   --no-build      install the release build that is already there
#   --bin-path DIR  install the build in DIR (a folder holding avatar-site and its bundles)
# The release build links the Swift runtime statically (--static-swift-stdlib), so the installed
# binary needs only Debian's libraries, not the toolchain it was built with; scripts/package-deb.sh
# builds it the same way, so the two share one release build.
# AVATAR_SITE_INSTALL_MANUAL=page writes a short manual page of our own instead of running
# swift-argument-parser's generate-manual plugin (which builds every product once more, in debug).
# The build takes the shared lock /tmp/avatar-site-build.lock, so that no two builds run at
# once; a caller that already holds it (the test suite, run under it) sets
# AVATAR_SITE_BUILD_LOCK_HELD=1.
set -euo pipefail

prefix=/usr/local
build=1
bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --no-build) build=0; shift ;;
    --bin-path) bin="$(cd "${2:?--bin-path needs a folder}" && pwd)"; build=0; shift 2 ;;
    --bin-path=*) bin="$(cd "${1#--bin-path=}" && pwd)"; build=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"

# A caller holding the shared lock is `swift test`, which also holds SwiftPM's own lock on
# .build while the tests run; it builds nothing then, so the release build may go beside it.
swiftpm=()
if [ "${AVATAR_SITE_BUILD_LOCK_HELD:-}" = 1 ]; then swiftpm=(--ignore-lock); fi
locked() {
  if [ "${AVATAR_SITE_BUILD_LOCK_HELD:-}" = 1 ]; then "$@"; else flock /tmp/avatar-site-build.lock "$@"; fi
}

if [ "$build" = 1 ]; then
  locked swift build "${swiftpm[@]}" -c release --product avatar-site --static-swift-stdlib
fi
[ -n "$bin" ] || bin="$(swift build -c release --show-bin-path)"
if [ ! -x "$bin/avatar-site" ]; then
  echo "install.sh: no release build in $bin (run without --no-build or --bin-path)" >&2
  exit 1
fi

lib="$prefix/lib/avatar-site"
mkdir -p "$lib" "$prefix/bin"
install -m 0755 "$bin/avatar-site" "$lib/avatar-site"
for bundle in "$bin"/*.resources; do
  [ -e "$bundle" ] || continue
  rm -rf "$lib/$(basename "$bundle")"
  cp -R "$bundle" "$lib/"
done
ln -sfn ../lib/avatar-site/avatar-site "$prefix/bin/avatar-site"
installed="$lib/avatar-site"

# Shell completions, as swift-argument-parser generates them.
mkdir -p "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
         "$prefix/share/fish/vendor_completions.d"
"$installed" --generate-completion-script bash > "$prefix/share/bash-completion/completions/avatar-site"
"$installed" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_avatar-site"
"$installed" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/avatar-site.fish"

# The manual, from swift-argument-parser's generate-manual plugin; a short page of our own if it
# cannot run. The plugin builds every product without --static-swift-stdlib: in debug, which
# development builds anyway, since in release it would rebuild the build above all over again.
man="$prefix/share/man/man1"
mkdir -p "$man"
pages=".build/plugins/GenerateManual/outputs/avatar-site"
if [ "${AVATAR_SITE_INSTALL_MANUAL:-plugin}" = plugin ] \
   && locked swift package "${swiftpm[@]}" plugin generate-manual --configuration debug >/dev/null 2>&1 \
   && ls "$pages"/*.1 >/dev/null 2>&1; then
  cp "$pages"/*.1 "$man/"
else
  version="$("$installed" --version)"
  cat > "$man/avatar-site.1" <<EOF
.TH AVATAR-SITE 1 "" "avatar-site $version" "User Commands"
.SH NAME
avatar-site \- turn a Microsoft 365 / Exchange directory into a static avatar site
.SH SYNOPSIS
.B avatar-site
[\fIbuild\fR|\fIcheck\fR|\fIinit\fR|\fIupload\fR|\fIdemo-server\fR|\fIplaceholder\fR] [\fIoptions\fR]
.SH DESCRIPTION
Lists every user of the directory through Microsoft Graph, the Outlook REST API or Exchange Web
Services, downloads each user's photo, draws an initials placeholder for everyone without one, and
writes a static folder with every size of every avatar and Graph-shaped metadata.
.TP
.B avatar-site init [DIR] [--kind graph|outlook-v2|ews|demo]
writes a commented DIR/site.yml; never overwrites one.
.TP
.B avatar-site check --config site.yml [--json]
checks the configuration, the secret, a token, the listing, a photo, the output folder and the fonts, writing nothing.
.TP
.B avatar-site build --config site.yml
the nightly build (the default command).
.PP
Run \fBavatar-site help\fR \fIcommand\fR for every option.
EOF
fi

echo "installed avatar-site $("$installed" --version) into $prefix (run $prefix/bin/avatar-site)"
