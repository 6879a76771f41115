#!/usr/bin/env bash
# avatar-site {{{version}}}: publishes this site to Azure Blob Storage (a static website's $web
# container, or any container behind a CDN), uploading what changed since the last run and
# deleting what the site no longer has:
#
#   hosting/sync-azure.sh 'https://ACCOUNT.blob.core.windows.net/$web[/PREFIX][?SAS]' [azcopy options]
#
# It runs from any directory (the site is this script's parent folder) and calls `azcopy` from
# PATH, which authenticates as it always does: a SAS in the URL, or `azcopy login`, or
# AZCOPY_AUTO_LOGIN_TYPE and its variables. It needs bash, perl and AzCopy 10.7 or later, and
# exits non-zero if anything fails. Use an account without hierarchical namespace (the
# default): one with it cannot hold users/{id}/photo beside users/{id}/photo/$value.
#
# The container gets the files and Graph's own paths as blobs, as sync-s3.sh describes, each
# kind with its content type and Cache-Control. `azcopy sync` cannot set either, so each kind
# is uploaded by `azcopy copy --overwrite=ifSourceNewer` (new and changed files, with their
# headers), then `azcopy sync --delete-destination=true` removes the blobs the site no longer
# has; both are scoped by one --include-regex that names exactly that kind's keys, and as the
# copy has uploaded everything, the sync transfers nothing. The copy checks each blob's time,
# one request a file: at 50,000 users (2 million blobs) that is the bulk of a night's run.
set -euo pipefail

readonly DATA_CACHE_CONTROL='{{{cache_control}}}'
readonly PAGE_CACHE_CONTROL='no-cache'
readonly ASSET_CACHE_CONTROL='public, max-age=31536000, immutable'

fail() {
  echo "sync-azure.sh: $*" >&2
  exit 1
}

usage() {
  fail "usage: hosting/sync-azure.sh 'https://ACCOUNT.blob.core.windows.net/CONTAINER[/PREFIX][?SAS]' [azcopy options]"
}

[ $# -ge 1 ] || usage
destination=$1
shift
[[ $destination =~ ^https://[^/]+/[^/?]+ ]] || usage
options=("$@")
for option in ${options[@]+"${options[@]}"}; do
  case "$option" in
    --include* | --exclude* | --content-type* | --cache-control* | --delete-destination* | --overwrite*)
      fail "$option is the script's to set: it scopes each kind of blob" ;;
  esac
done
command -v azcopy >/dev/null || fail "AzCopy (azcopy) is not on PATH"
command -v perl >/dev/null || fail "perl is not on PATH (it links the keys)"

site=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
[ -f "$site/users.json" ] || fail "$site is not a built site (no users.json)"

# The key trees live beside the build's state, on the site's file system, so that they can
# be hard links. A run that was killed left its trees: remove those older than half a day.
mkdir -p "$site/.avatar-site"
find "$site/.avatar-site" -maxdepth 1 -name 'sync-azure.*' -mmin +720 -exec rm -rf {} +
work=$(mktemp -d "$site/.avatar-site/sync-azure.XXXXXX")
trap 'rm -rf "$work"' EXIT
perl "$site/hosting/link-keys.pl" "$site" "$work" || fail "could not lay out the keys"

# upload TREE CONTENT_TYPE CACHE_CONTROL REGEX: one kind of blob, named by REGEX (relative
# paths; alternatives separated by ;). An empty CONTENT_TYPE lets azcopy guess it.
upload() {
  local tree=$1 content_type=$2 cache_control=$3 regex=$4
  local type_option=()
  [ -z "$content_type" ] || type_option=(--content-type "$content_type")
  azcopy copy "$tree/*" "$destination" --recursive --overwrite=ifSourceNewer --include-regex "$regex" \
    ${type_option[@]+"${type_option[@]}"} --cache-control "$cache_control" ${options[@]+"${options[@]}"} ||
    fail "azcopy copy of ${content_type:-page assets} failed (exit $?)"
  azcopy sync "$tree" "$destination" --recursive --delete-destination=true --include-regex "$regex" \
    ${options[@]+"${options[@]}"} ||
    fail "azcopy sync (deleting what is gone) of ${content_type:-page assets} failed (exit $?)"
}

has_kind() {
  grep -qx "$1" "$work/kinds"
}

# Images first, so that a new user's files are there before users.json lists them.
upload "$work/files" image/jpeg "$DATA_CACHE_CONTROL" \
  '^users/.+\.jpg$;{{{azure_image_regex}}}'
# A format that is turned off leaves its last blobs behind (there are none left to scope a
# deletion by): remove them once with `azcopy remove --recursive --include-pattern '*.png'`.
if has_kind png; then
  upload "$work/files" image/png "$DATA_CACHE_CONTROL" '^users/.+\.png$'
fi
if has_kind webp; then
  upload "$work/files" image/webp "$DATA_CACHE_CONTROL" '^users/.+\.webp$'
fi
# users.json, each user's .json files, and Graph's users/{id}/photo and photos/{W}x{H}.
upload "$work/json" application/json "$DATA_CACHE_CONTROL" \
  '^users\.json$;{{{azure_json_regex}}}'
upload "$work/lists" application/json "$DATA_CACHE_CONTROL" '{{{azure_list_regex}}}'
if has_kind page; then
  upload "$work/files" 'text/html; charset=utf-8' "$PAGE_CACHE_CONTROL" '^index\.html$'
fi
if has_kind assets; then
  upload "$work/files" "" "$ASSET_CACHE_CONTROL" '^assets/;^directory\.[^/]+\.js$'
fi
echo "sync-azure.sh: ${destination%%\?*} is up to date"
