#!/usr/bin/env bash
# Qt's window needs a few system libraries that a desktop Debian/Ubuntu has and a minimal one lacks.
# libthai0: Qt dlopens it to find Thai words (ui.words); without it a Thai selection keeps its characters.
# Without --install: say which are missing and how to get them. With --install (as root): install them.
set -u
packages="libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  fonts-dejavu-core fonts-noto-core fonts-noto-color-emoji fonts-wqy-microhei libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 libthai0"
command -v dpkg-query >/dev/null || exit 0  # not Debian-like: nothing we can check here
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--install" ] || [ "$(id -u)" = 0 ]; then
  echo "Installing the system libraries Qt needs:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq $missing >/dev/null && exit 0
  echo "Could not install them; run: sudo apt-get install$missing" >&2
  exit 1
fi
echo "Qt needs these system libraries, which are missing:$missing" >&2
echo "Install them with: sudo make system-deps   (or: sudo apt-get install$missing)" >&2
exit 1
