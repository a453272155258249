#!/bin/sh
# Install Annotator for the current user, from the unpacked tarball (no root, no network):
#   the program   -> ${ANNOTATOR_PREFIX:-~/.local/opt/Annotator}
#   the command   -> ~/.local/bin/annotator (a link)
#   the menu item -> ~/.local/share/applications/annotator.desktop, with its icon
# Run it again to upgrade; uninstall.sh (also copied into the program folder) removes all of it.
# Your projects and settings (~/.local/share/Annotator, ~/.config/Annotator) are never touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${ANNOTATOR_PREFIX:-$HOME/.local/opt/Annotator}
bin_dir=$HOME/.local/bin
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$data_home/applications
icons=$data_home/icons/hicolor/256x256/apps

if [ ! -x "$here/Annotator" ] || [ ! -d "$here/_internal" ]; then
    echo "install.sh: run me from the unpacked Annotator folder (Annotator and _internal/ beside me)" >&2
    exit 1
fi

if [ "$here" != "$prefix" ]; then
    # Copy to a new folder first and swap it in, so a failed copy leaves the old version working.
    mkdir -p "$(dirname "$prefix")"
    rm -rf "$prefix.new"
    cp -R "$here" "$prefix.new"
    rm -rf "$prefix"
    mv "$prefix.new" "$prefix"
fi

mkdir -p "$bin_dir" "$apps" "$icons"
ln -sfn "$prefix/Annotator" "$bin_dir/annotator"
cp "$prefix/annotator.png" "$icons/annotator.png"
# Exec needs the absolute path; quote it for the desktop file in case it holds spaces.
exec_line=$(printf '"%s"' "$prefix/Annotator")
sed "s|@EXEC@|$exec_line|g" "$prefix/annotator.desktop.in" > "$apps/annotator.desktop.tmp"
chmod 644 "$apps/annotator.desktop.tmp"
mv "$apps/annotator.desktop.tmp" "$apps/annotator.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data_home/icons/hicolor" 2>/dev/null || true

echo "Annotator is installed in $prefix."
echo "Start it from your applications menu, or run: annotator"
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "($bin_dir is not on your PATH; add it, or run $prefix/Annotator)" ;;
esac
echo "To check the installation: annotator --self-test"
echo "To remove it: $prefix/uninstall.sh"
