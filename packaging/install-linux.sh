#!/bin/sh
# Install the bundle built by `make bundle` for the current user, with a menu entry and icons.
#
#   packaging/install-linux.sh [BUNDLE_DIR]     (default: dist/MedRecords)
#   packaging/install-linux.sh --uninstall
#
# Puts the app folder in ~/.local/opt/MedRecords, a `medrecords` link in ~/.local/bin, the .desktop
# file in ~/.local/share/applications, the icons in ~/.local/share/icons/hicolor and the AppStream
# metainfo in ~/.local/share/metainfo.  No root needed; nothing outside your home is touched.
# XDG_DATA_HOME and MEDRECORDS_PREFIX (default ~/.local) move the targets (the tests use them).
set -eu

APP_ID=org.medrecords.MedRecords
PREFIX=${MEDRECORDS_PREFIX:-$HOME/.local}
DATA=${XDG_DATA_HOME:-$PREFIX/share}
OPT=$PREFIX/opt/MedRecords
BIN=$PREFIX/bin
SIZES="16 24 32 48 64 128 256 512"

refresh() {
    # Menus and icon caches pick the changes up without a log-out where these tools exist.
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$OPT"
    rm -f "$BIN/medrecords" "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml"
    for s in $SIZES; do rm -f "$DATA/icons/hicolor/${s}x${s}/apps/$APP_ID.png"; done
    rm -f "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
    refresh
    echo "MedRecords removed (your vault, in ~/.local/share/MedRecords, is kept)."
    exit 0
fi

SRC=${1:-dist/MedRecords}
if [ ! -x "$SRC/medrecords" ]; then
    echo "install-linux.sh: no bundle at $SRC (run 'make bundle' first)" >&2
    exit 1
fi
RES="$SRC/_internal/medrecords_desktop/resources"
if [ ! -d "$RES" ]; then
    echo "install-linux.sh: $SRC has no resources folder; is it a MedRecords bundle?" >&2
    exit 1
fi

# Copy into a new folder, then swap, so a running copy is never left with half its files.
mkdir -p "$PREFIX/opt" "$BIN" "$DATA/applications" "$DATA/metainfo"
rm -rf "$OPT.new"
cp -a "$SRC" "$OPT.new"
rm -rf "$OPT.old"
[ -d "$OPT" ] && mv "$OPT" "$OPT.old"
mv "$OPT.new" "$OPT"
rm -rf "$OPT.old"
ln -sf "$OPT/medrecords" "$BIN/medrecords"

# The .desktop file names the executable by absolute path: ~/.local/bin is not on every session's PATH.
sed -e "s|^Exec=medrecords|Exec=$OPT/medrecords|" -e "s|^TryExec=medrecords|TryExec=$OPT/medrecords|" \
    "$RES/linux/$APP_ID.desktop" > "$DATA/applications/$APP_ID.desktop"
cp "$RES/linux/$APP_ID.metainfo.xml" "$DATA/metainfo/$APP_ID.metainfo.xml"

for s in $SIZES; do
    mkdir -p "$DATA/icons/hicolor/${s}x${s}/apps"
    cp "$RES/icons/app/medrecords-$s.png" "$DATA/icons/hicolor/${s}x${s}/apps/$APP_ID.png"
done
mkdir -p "$DATA/icons/hicolor/scalable/apps"
cp "$RES/icons/app/medrecords.svg" "$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"

refresh
echo "MedRecords installed in $OPT; start it from the applications menu or with $BIN/medrecords"
