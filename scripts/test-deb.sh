#!/usr/bin/env bash
# Installs a Casebook .deb into a scratch root (dpkg -x, no root needed), checks its files, and
# runs the installed binary: --version, and `check` on a corpus case (CASEBOOK_CORPUS, default
# ../shared/corpus) and on the bundled sample. Exits non-zero on the first failure.
#   bash scripts/test-deb.sh target/debian/casebook_0.1.0-1_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:?usage: test-deb.sh PACKAGE.deb}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

dpkg-deb -x "$deb" "$root"
fail() { echo "test-deb: $*" >&2; exit 1; }
for f in \
  usr/bin/casebook \
  usr/share/applications/org.atlasofurbantech.Casebook.desktop \
  usr/share/icons/hicolor/scalable/apps/org.atlasofurbantech.Casebook.svg \
  usr/share/icons/hicolor/48x48/apps/org.atlasofurbantech.Casebook.png \
  usr/share/icons/hicolor/256x256/apps/org.atlasofurbantech.Casebook.png \
  usr/share/doc/casebook/DATA-LICENSES.md \
  usr/share/doc/casebook/dictionary-LICENSE; do
  [ -e "$root/$f" ] || fail "missing $f"
done
[ -x "$root/usr/bin/casebook" ] || fail "usr/bin/casebook is not executable"
desktop="$root/usr/share/applications/org.atlasofurbantech.Casebook.desktop"
if command -v desktop-file-validate >/dev/null 2>&1; then
  # Errors, warnings and hints all fail (it exits 0 on hints).
  out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop entry: $out"
  [ -z "$out" ] || fail "desktop entry: $out"
else
  echo "desktop-file-validate not installed (apt-get install desktop-file-utils): entry not validated"
fi
# The entry names the installed icon and the window's app id / X11 class.
grep -qx 'Icon=org.atlasofurbantech.Casebook' "$desktop" || fail "desktop entry: Icon is not the app id"
grep -qx 'StartupWMClass=org.atlasofurbantech.Casebook' "$desktop" \
  || fail "desktop entry: StartupWMClass is not the app id"
grep -qx 'Exec=casebook %f' "$desktop" || fail "desktop entry: Exec must pass one path (%f)"
dpkg-deb --info "$deb" | grep -q '^ Package: casebook' || fail "control file has no Package: casebook"

bin="$root/usr/bin/casebook"
version=$("$bin" --version) || fail "--version failed"
echo "installed: $version"
[[ "$version" == casebook\ * ]] || fail "unexpected --version output: $version"

corpus=${CASEBOOK_CORPUS:-../shared/corpus}
if [ -d "$corpus/cases" ]; then
  case_dir=$(ls -d "$corpus"/cases/*/ | head -n1)
  set +e
  "$bin" check "$case_dir" >"$root/check.txt" 2>&1
  code=$?
  set -e
  # 0 = no errors, 1 = errors found: both mean the checker ran.
  [ "$code" -le 1 ] || { cat "$root/check.txt"; fail "check on $case_dir exited $code"; }
  grep -q "checked" "$root/check.txt" || fail "check printed no summary"
  echo "check on $case_dir: exit $code, $(tail -n1 "$root/check.txt")"
else
  echo "no corpus at $corpus: skipped the corpus check"
fi
"$bin" check assets/sample/gbr-kings-cross >/dev/null || fail "check on the bundled sample failed"
installed_kb=$(dpkg-deb --field "$deb" Installed-Size)
echo "test-deb: all good (package $(du -h "$deb" | cut -f1), installed ${installed_kb} KiB; depends: $(dpkg-deb --field "$deb" Depends))"
