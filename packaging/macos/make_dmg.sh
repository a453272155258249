#!/bin/sh
# Wrap the app bundle PyInstaller built on macOS (dist/Annotator.app) in a compressed disk image with a
# link to /Applications, to drag it onto:
#   pyinstaller --noconfirm --distpath dist --workpath build packaging/annotator.spec
#   sh packaging/macos/make_dmg.sh [dist/Annotator.app]
# Writes dist/Annotator-VERSION-macos-ARCH.dmg. The app is ad-hoc signed by PyInstaller, not notarised:
# the first start needs right-click > Open (or a Developer ID signature and notarytool, outside this script).
set -eu
app=${1:-dist/Annotator.app}
[ -d "$app/Contents/MacOS" ] || { echo "make_dmg.sh: no app bundle at $app" >&2; exit 1; }
command -v hdiutil >/dev/null || { echo "make_dmg.sh: hdiutil is macOS-only" >&2; exit 1; }
version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
arch=$(uname -m)
out=$(dirname "$app")/Annotator-$version-macos-$arch.dmg
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
rm -f "$out"
hdiutil create -volname "Annotator $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$out"
hdiutil verify "$out"
echo "$out: $(du -h "$out" | cut -f1)"
