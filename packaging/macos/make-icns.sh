#!/bin/sh
# Build packaging/macos/MedRecords.icns from the rendered PNGs (macOS only: uses iconutil).
# Run before `make bundle` on a Mac; the spec's BUNDLE() step names this file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../../medrecords_desktop/resources/icons/app"
set_dir=$(mktemp -d)/MedRecords.iconset
mkdir -p "$set_dir"
for s in 16 32 128 256 512; do
    cp "$src/medrecords-$s.png" "$set_dir/icon_${s}x${s}.png"
done
# @2x entries are the next size up
cp "$src/medrecords-32.png" "$set_dir/icon_16x16@2x.png"
cp "$src/medrecords-64.png" "$set_dir/icon_32x32@2x.png"
cp "$src/medrecords-256.png" "$set_dir/icon_128x128@2x.png"
cp "$src/medrecords-512.png" "$set_dir/icon_256x256@2x.png"
iconutil -c icns "$set_dir" -o "$here/MedRecords.icns"
echo "wrote $here/MedRecords.icns"
