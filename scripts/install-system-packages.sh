#!/usr/bin/env bash
# Debian packages some tests use: chromium (end-to-end browser test) and LibreOffice Calc
# (template converted to .ods, PDF checks). Installs only what is missing; needs root.
# Without root or apt, the tests that need them are skipped with a clear reason.
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: not installing ${missing[*]} (needs root and apt-get); the tests that need them will be skipped" >&2
  exit 0
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || echo "note: could not install ${missing[*]}; the tests that need them will be skipped" >&2
exit 0
