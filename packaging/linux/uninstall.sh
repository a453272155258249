#!/bin/sh
# Remove what install.sh installed: the program folder, the ~/.local/bin/annotator link, the menu item
# and its icon. Your projects, settings and backups (~/.local/share/Annotator, ~/.config/Annotator)
# stay; delete those yourself if you want them gone.
set -eu
prefix=${ANNOTATOR_PREFIX:-$HOME/.local/opt/Annotator}
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$data_home/applications

link=$HOME/.local/bin/annotator
if [ -L "$link" ] && [ "$(readlink "$link")" = "$prefix/Annotator" ]; then
    rm -f "$link"
fi
rm -f "$apps/annotator.desktop" "$data_home/icons/hicolor/256x256/apps/annotator.png"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
if [ -x "$prefix/Annotator" ] && [ -d "$prefix/_internal" ]; then
    rm -rf "$prefix"
fi
echo "Annotator is uninstalled. Your projects and settings are still in $data_home/Annotator and ${XDG_CONFIG_HOME:-$HOME/.config}/Annotator."
