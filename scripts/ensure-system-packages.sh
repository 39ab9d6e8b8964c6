#!/usr/bin/env bash
# Install the Debian packages the tests need, only when missing. Idempotent; fast when all is there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
updated=0
install() {
  if [ "$updated" = 0 ]; then apt-get update -q >/dev/null; updated=1; fi
  echo "installing: $*"
  apt-get install -y -q --no-install-recommends "$@" >/dev/null || { echo "error: apt-get install $* failed" >&2; exit 1; }
}
command -v dovecot >/dev/null 2>&1 && echo "found: dovecot" || install dovecot-imapd dovecot-lmtpd
command -v openssl >/dev/null 2>&1 && echo "found: openssl" || install openssl
command -v tesseract >/dev/null 2>&1 && [ -e /usr/share/tesseract-ocr/5/tessdata/swe.traineddata ] && echo "found: tesseract + swe" || install tesseract-ocr tesseract-ocr-swe
# The browser tests (tests/browser) drive Debian's chromium through Playwright; never a downloaded browser build.
command -v chromium >/dev/null 2>&1 && echo "found: chromium" || install chromium
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  echo "found: PostgreSQL on 127.0.0.1:5432"
elif command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "found: initdb (the tests start a throwaway cluster)"
else
  install postgresql
fi
