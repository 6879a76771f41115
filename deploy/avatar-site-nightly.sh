#!/usr/bin/env bash
# The nightly job: builds the avatar site, then publishes it if the build left it consistent.
#
#   avatar-site-nightly.sh SITE_YML [PUBLISH_COMMAND [ARGUMENTS…]]
#
# for example
#
#   avatar-site-nightly.sh /etc/avatar-site/site.yml /srv/avatars/hosting/sync-s3.sh s3://avatars-contoso
#
# `avatar-site build` exits 0 when everything was done and 1 when some users failed (the site
# is still consistent, their last good files kept): both are published. On 2 (a mistake in
# site.yml) and 3 (the directory could not be read, authentication failed, or too many users
# would be removed; nothing changed) nothing is published. This script exits with the build's
# code, or 4 when the build was published-worthy but the publishing command failed. Set
# AVATAR_SITE to the binary's path when it is not on PATH.
# No -e: the build's exit code is read, not fatal.
set -uo pipefail

avatar_site=${AVATAR_SITE:-avatar-site}
readonly PUBLISH_FAILED=4

log() {
  echo "avatar-site-nightly: $*" >&2
}

if [ $# -lt 1 ]; then
  log "usage: avatar-site-nightly.sh SITE_YML [PUBLISH_COMMAND [ARGUMENTS…]]"
  exit 2
fi
config=$1
shift

"$avatar_site" build --config "$config"
build=$?
case $build in
  0 | 1) ;;
  *)
    log "the build exited $build: nothing is published"
    exit "$build"
    ;;
esac
[ $build -eq 0 ] || log "some users failed (see build-report.json); publishing the consistent site"

if [ $# -gt 0 ]; then
  if ! "$@"; then
    log "publishing failed: $*"
    exit $PUBLISH_FAILED
  fi
fi
exit "$build"
