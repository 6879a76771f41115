#!/usr/bin/env bash
# avatar-site {{{version}}}: publishes this site to an S3 bucket (or any S3-compatible store),
# uploading only what changed since the last run and deleting what the site no longer has:
#
#   hosting/sync-s3.sh s3://BUCKET[/PREFIX] [aws s3 sync options, e.g. --only-show-errors]
#
# It runs from any directory (the site is this script's parent folder) and calls `aws` from
# PATH, which takes the endpoint, region and credentials from its own environment
# (AWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID…). It needs bash, perl and
# the AWS CLI, and exits non-zero if anything fails.
#
# Besides the files (users/{id}/photos/48x48.jpg…), the bucket gets Graph's own paths as
# objects, so that it answers Graph's URLs with no rewrite rules: users/{id}/photo and
# users/{id}/photos/{W}x{H} (application/json), users/{id}/photos (application/json),
# users/{id}/photo/$value and users/{id}/photos/{W}x{H}/$value (image/jpeg). The build's own
# files (.avatar-site/, build-report.json, hosting/) are never uploaded. Aliases (UPN, mail)
# and Gravatar's /avatar/{hash} are not published to a bucket (docs/publishing.md says why).
#
# Each kind of object is one `aws s3 sync --delete` whose filters name exactly its keys, so a
# deletion never reaches another kind's keys. Give the site a bucket or prefix of its own.
set -euo pipefail

readonly DATA_CACHE_CONTROL='{{{cache_control}}}'
readonly PAGE_CACHE_CONTROL='no-cache'
readonly ASSET_CACHE_CONTROL='public, max-age=31536000, immutable'

fail() {
  echo "sync-s3.sh: $*" >&2
  exit 1
}

usage() {
  fail "usage: hosting/sync-s3.sh s3://BUCKET[/PREFIX] [aws s3 sync options]"
}

[ $# -ge 1 ] || usage
destination=${1%/}
shift
[[ $destination =~ ^s3://[^/]+ ]] || usage
options=("$@")
for option in ${options[@]+"${options[@]}"}; do
  case "$option" in
    --include* | --exclude* | --content-type* | --cache-control* | --delete)
      fail "$option is the script's to set: it scopes each kind of key" ;;
  esac
done
command -v aws >/dev/null || fail "the AWS CLI (aws) is not on PATH"
command -v perl >/dev/null || fail "perl is not on PATH (it links the keys)"

site=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
[ -f "$site/users.json" ] || fail "$site is not a built site (no users.json)"

# The key trees live beside the build's state, on the site's file system, so that they can
# be hard links. A run that was killed left its trees: remove those older than half a day.
mkdir -p "$site/.avatar-site"
find "$site/.avatar-site" -maxdepth 1 -name 'sync-s3.*' -mmin +720 -exec rm -rf {} +
work=$(mktemp -d "$site/.avatar-site/sync-s3.XXXXXX")
trap 'rm -rf "$work"' EXIT
perl "$site/hosting/link-keys.pl" "$site" "$work" || fail "could not lay out the keys"

# upload TREE CONTENT_TYPE CACHE_CONTROL FILTER…: one kind of key. An empty CONTENT_TYPE lets
# aws guess it from the file's extension.
upload() {
  local tree=$1 content_type=$2 cache_control=$3
  shift 3
  local type_option=()
  [ -z "$content_type" ] || type_option=(--content-type "$content_type")
  aws s3 sync "$tree" "$destination" --delete --exclude '*' "$@" \
    ${type_option[@]+"${type_option[@]}"} --cache-control "$cache_control" \
    ${options[@]+"${options[@]}"} ||
    fail "aws s3 sync of ${content_type:-page assets} to $destination failed (exit $?)"
}

has_kind() {
  grep -qx "$1" "$work/kinds"
}

# Images first, so that a new user's files are there before users.json lists them.
upload "$work/files" image/jpeg "$DATA_CACHE_CONTROL" \
  --include 'users/*.jpg' {{{s3_image_filters}}}
# A format that is turned off leaves its last objects behind (there are none left to
# scope a deletion by): remove them once with `aws s3 rm --recursive`.
if has_kind png; then
  upload "$work/files" image/png "$DATA_CACHE_CONTROL" --include 'users/*.png'
fi
if has_kind webp; then
  upload "$work/files" image/webp "$DATA_CACHE_CONTROL" --include 'users/*.webp'
fi
# users.json, each user's .json files, and Graph's users/{id}/photo and photos/{W}x{H}:
# a key under photos/ is Graph's if it has no extension and nothing below it.
upload "$work/json" application/json "$DATA_CACHE_CONTROL" \
  --include 'users.json' {{{s3_json_filters}}} --include 'users/*.json'
upload "$work/lists" application/json "$DATA_CACHE_CONTROL" {{{s3_list_filters}}}
if has_kind page; then
  upload "$work/files" 'text/html; charset=utf-8' "$PAGE_CACHE_CONTROL" --include 'index.html'
fi
if has_kind assets; then
  upload "$work/files" "" "$ASSET_CACHE_CONTROL" --include 'assets/*' --include 'directory.*.js'
fi
echo "sync-s3.sh: $destination is up to date"
