#!/usr/bin/env bash
# Builds the Linux packages of Casebook: a .deb (cargo-deb) and, when appimagetool is available,
# an AppImage. Then installs the .deb into a scratch root and tests the installed binary
# (scripts/test-deb.sh). Run on Debian/Ubuntu with a Rust toolchain:
#   bash scripts/package-linux.sh            # -> target/debian/casebook_<version>_<arch>.deb
# Not part of .ci/run: a release build takes ~15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-deb >/dev/null 2>&1; then
  cargo install --locked cargo-deb
fi

start=$(date +%s)
# cargo-deb runs `cargo build --release` itself; --locked keeps the lockfile's versions.
cargo deb --locked
end=$(date +%s)
deb=$(ls -t target/debian/casebook_*.deb | head -n1)
echo "built $deb ($(du -h "$deb" | cut -f1)) in $((end - start)) s"

bash scripts/test-deb.sh "$deb"

# An AppImage too, when appimagetool is installed (it is not in Debian's or the language
# registries; see README › Install). The AppDir reuses the .deb's tree.
if command -v appimagetool >/dev/null 2>&1; then
  appdir=target/appimage/Casebook.AppDir
  rm -rf "$appdir" && mkdir -p "$appdir"
  dpkg-deb -x "$deb" "$appdir"
  cp assets/linux/org.atlasofurbantech.Casebook.desktop "$appdir/"
  cp assets/icon/png/casebook-256.png "$appdir/org.atlasofurbantech.Casebook.png"
  ln -sf usr/bin/casebook "$appdir/AppRun"
  ARCH=$(uname -m) appimagetool "$appdir" "target/appimage/Casebook-$(uname -m).AppImage"
else
  echo "appimagetool not found: no AppImage built (the .deb is)"
fi
