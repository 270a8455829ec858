#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (/usr/bin/chromium) with playwright-core; a test tool's
# own browser download does not work on these machines. Install it when missing and we are root.
set -u
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium for the browser tests (apt-get)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || {
    echo "ensure-chromium: apt-get install chromium failed; browser tests will be skipped (or fail under CI)" >&2
  }
else
  echo "ensure-chromium: /usr/bin/chromium is missing; install it with: sudo apt-get install -y chromium" >&2
fi
exit 0
