#!/bin/sh
# Package the built bundle (dist/Annotator) as dist/Annotator-VERSION-linux-ARCH.tar.gz, with the menu
# entry, the icon and the install and uninstall scripts beside the program.
#   sh packaging/linux/make_tarball.sh [dist/Annotator]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bundle=${1:-dist/Annotator}
[ -x "$bundle/Annotator" ] || { echo "make_tarball.sh: no bundle at $bundle (run make bundle)" >&2; exit 1; }
version=$("$bundle/Annotator" --version | awk '{print $2}')
arch=$(uname -m)
name=Annotator-$version-linux-$arch
out=$(dirname "$bundle")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$bundle" "$stage/$name"
cp "$here/annotator.desktop.in" "$here/annotator.png" "$here/README.txt" "$stage/$name/"
cp "$here/install.sh" "$here/uninstall.sh" "$stage/$name/"
chmod 755 "$stage/$name/install.sh" "$stage/$name/uninstall.sh"
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz: $(du -h "$out/$name.tar.gz" | cut -f1)"
