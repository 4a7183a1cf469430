#!/bin/sh
# Installs the Debian/Ubuntu packages named as arguments when they are missing (used by the Makefile).
missing=""
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "make: missing Debian packages:$missing; install them as root: apt-get install$missing" >&2
    exit 1
fi
echo "Installing Debian packages:$missing"
$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
