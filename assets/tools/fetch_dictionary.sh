#!/usr/bin/env bash
# Regenerates assets/dict/ (the bundled en-US Hunspell dictionary) from the npm package
# `dictionary-en` (SCOWL size 60, en_US, by wooorm/dictionaries).
#
# Deterministic: the version is pinned and the tarball is checked against the registry's
# published sha512 integrity before anything is copied, and the copied files against the
# sha256 sums below. Run from anywhere:  bash assets/tools/fetch_dictionary.sh
# Needs: npm, tar, sha256sum, sha512sum, xxd, base64.
#
# To bundle another version: change VERSION, run with UPDATE=1 to print the new sums, review
# the word-list change (git diff --stat assets/dict), then paste the sums here.
set -euo pipefail

VERSION="4.0.0"
INTEGRITY="sha512-3NHnE1uq33ZE/CIwaZ6gqxa4BnglHnxeAcTM0GJ7cmtRGcvX9InMK/IqLtYcUMFCUpUNgybH+DzkqdgAo3F1zg=="
AFF_SHA256="8ae1f19d4840d957728ad90555d5a8dff6cc5c046279c95ff0c00fc0a0136c7b"
DIC_SHA256="f0b1a234bd178bdd01875b2a392a9647f888b8fe879f79c52aae62c2759b3647"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../dict"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "dictionary-en@$VERSION" >/dev/null
tgz="dictionary-en-$VERSION.tgz"
got="sha512-$(sha512sum "$tgz" | cut -d' ' -f1 | xxd -r -p | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
  echo "fetch_dictionary: $tgz does not match the pinned integrity" >&2
  echo "  expected $INTEGRITY" >&2
  echo "  got      $got" >&2
  exit 1
fi
tar xzf "$tgz"

aff_sum="$(sha256sum package/index.aff | cut -d' ' -f1)"
dic_sum="$(sha256sum package/index.dic | cut -d' ' -f1)"
if [ "${UPDATE:-0}" = "1" ]; then
  echo "INTEGRITY=\"$(npm view "dictionary-en@$VERSION" dist.integrity)\""
  echo "AFF_SHA256=\"$aff_sum\""
  echo "DIC_SHA256=\"$dic_sum\""
elif [ "$aff_sum" != "$AFF_SHA256" ] || [ "$dic_sum" != "$DIC_SHA256" ]; then
  echo "fetch_dictionary: the files in the package differ from the pinned sums" >&2
  exit 1
fi

mkdir -p "$out"
cp package/index.aff "$out/en_US.aff"
cp package/index.dic "$out/en_US.dic"
cp package/license "$out/LICENSE"
echo "fetch_dictionary: wrote $out/en_US.aff, en_US.dic and LICENSE (dictionary-en $VERSION)"
