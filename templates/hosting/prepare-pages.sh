#!/usr/bin/env bash
# avatar-site {{{version}}}: writes a folder to publish on a static host that deploys a whole
# folder (Netlify, Cloudflare Pages, GitLab Pages, GitHub Pages):
#
#   hosting/prepare-pages.sh PUBLISH_DIR
#
# PUBLISH_DIR gets the site without the build's own files (.avatar-site/, build-report.json,
# hosting/), plus _redirects, _headers and 404.html at its root, where these hosts read them,
# and an empty .nojekyll so that GitHub Pages publishes the files as they are. Files are
# hard-linked when PUBLISH_DIR is on the site's file system, else copied. PUBLISH_DIR is
# emptied first, so it must neither be nor hold the site folder.
set -euo pipefail

fail() {
  echo "prepare-pages.sh: $*" >&2
  exit 1
}

[ $# -eq 1 ] || fail "usage: hosting/prepare-pages.sh PUBLISH_DIR"
site=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
[ -f "$site/users.json" ] || fail "$site is not a built site (no users.json)"
mkdir -p "$1"
publish=$(cd "$1" && pwd -P)
# It is emptied: it must neither be nor hold the site.
case "$publish/" in
  "$site/"*) fail "$publish is inside the site folder" ;;
esac
case "$site/" in
  "$publish/"*) fail "$publish holds the site folder" ;;
esac

# The site's published files: everything at its top level but the build's own.
published_entries() {
  local entry
  for entry in "$site"/* "$site"/.[!.]*; do
    [ -e "$entry" ] || continue
    case "${entry##*/}" in
      .avatar-site | build-report.json | hosting) ;;
      *) printf '%s\n' "$entry" ;;
    esac
  done
}

# Hard links cost no space and keep each file's time; across file systems, copies.
copy_entries() {
  local entry
  while IFS= read -r entry; do
    cp "$@" "$entry" "$publish/" || return 1
  done < <(published_entries)
}

find "$publish" -mindepth 1 -delete
if ! copy_entries -Rl 2>/dev/null; then
  find "$publish" -mindepth 1 -delete
  copy_entries -Rp || fail "cannot copy the site into $publish"
fi
cp "$site/hosting/_redirects" "$site/hosting/_headers" "$site/hosting/404.html" "$publish/"
: >"$publish/.nojekyll"
echo "prepare-pages.sh: $publish is ready to publish"
