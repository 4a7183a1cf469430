#!/bin/bash
# Install or upgrade the public legal service kiosk on Debian, Ubuntu or Raspberry Pi OS, as an
# appliance started by systemd at boot. deploy/README.md explains every step and file.
#
#   sudo deploy/install.sh --kiosk            the kiosk, under X11 on tty1 (legal-kiosk.service)
#   sudo deploy/install.sh --kiosk --kms      the kiosk without X, on KMS (legal-kiosk-kms.service)
#   sudo deploy/install.sh --server           the central server (legal-kiosk-server.service)
#   deploy/install.sh --kiosk --server --root DIR
#                                             write the files under DIR as if it were /, and only
#                                             print what would be run on a real system
#
# Running it again upgrades: the code in /opt/legal-kiosk and the unit files are replaced; the
# data in /var/lib/legal-kiosk and /var/lib/legal-kiosk-server, the configuration in
# /etc/legal-kiosk and the logs in /var/log/legal-kiosk are kept as they are.

set -euo pipefail
umask 022

SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=/opt/legal-kiosk
APP=$PREFIX/app
VENV=$PREFIX/venv
ETC=/etc/legal-kiosk
KIOSK_DATA=/var/lib/legal-kiosk
SERVER_DATA=/var/lib/legal-kiosk-server
LOGS=/var/log/legal-kiosk
UNITS=/etc/systemd/system
KIOSK_USER=kiosk
SERVER_USER="kiosk-server"
# What the kiosk and the server run from: the code, its assets (fonts, sample content, screens'
# .kv files, translations) and these deployment files. Tests and benchmarks stay behind.
CODE=(kiosk screens printers server assets deploy docs tools pyproject.toml kiosk.ini README.md)
COMMON_PACKAGES=(python3 python3-venv ca-certificates logrotate)
# Kivy's wheel brings SDL2; it needs the system's OpenGL/EGL, mtdev, Mesa's drivers for the GPU,
# and for KMS gbm and drm; libusb for USB printers (deploy/README-printers.md). Under X11: the X
# server, xinit and a minimal window manager that lets the kiosk's window fill the screen.
KIOSK_PACKAGES=(libmtdev1 libgl1 libegl1 libgles2 libgbm1 libdrm2 libgl1-mesa-dri libusb-1.0-0)
X11_PACKAGES=(xserver-xorg-core xserver-xorg-input-libinput xinit matchbox-window-manager)

usage="usage: deploy/install.sh [--kiosk] [--server] [--kms] [--root DIR]"
kiosk=no server=no kms=no root=""

say() { echo "install: $*"; }
fail() {
    echo "install: $*" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --kiosk) kiosk=yes ;;
    --server) server=yes ;;
    --kms) kms=yes ;;
    --root)
        [ $# -ge 2 ] || fail "--root: expected a folder, got nothing ($usage)"
        root=$2
        shift
        ;;
    -h | --help)
        echo "$usage"
        exit 0
        ;;
    *) fail "expected --kiosk, --server, --kms or --root DIR, got '$1' ($usage)" ;;
    esac
    shift
done

[ "$kiosk" = yes ] || [ "$server" = yes ] || fail "expected --kiosk and/or --server, got neither ($usage)"
[ "$kms" = no ] || [ "$kiosk" = yes ] || fail "--kms: expected it with --kiosk, got it without"

if [ -n "$root" ]; then
    mkdir -p "$root"
    root=$(cd "$root" && pwd)
    [ "$root" != / ] || fail "--root: expected a staging folder, got / (leave --root out to install on this machine)"
    say "staging into $root: nothing outside it is changed; the commands a real install runs are printed, not run"
else
    [ "$(id -u)" = 0 ] || fail "expected to run as root, got user $(id -un): sudo deploy/install.sh ..."
    command -v systemctl >/dev/null || fail "expected a system run by systemd, got no systemctl"
    command -v apt-get >/dev/null || fail "expected Debian, Ubuntu or Raspberry Pi OS, got no apt-get"
fi

# -- helpers: every change to the system goes through these two ------------------------------------

# Run a command on the real system, or print it when staging.
system() {
    if [ -n "$root" ]; then
        local word line="would run:"
        for word in "$@"; do
            if [[ $word =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then line+=" $word"; else line+=" '$word'"; fi
        done
        echo "$line"
    else
        "$@"
    fi
}

# The path of a system file: under the staging root, or the real one.
at() { printf '%s%s' "$root" "$1"; }

# Copy the named files and folders of $SOURCE into folder $1 (made), owned by root, no caches.
copy_tree() {
    mkdir -p "$1"
    tar -C "$SOURCE" --exclude=__pycache__ --exclude='*.pyc' --exclude='*.egg-info' -cf - "${@:2}" |
        tar -C "$1" --no-same-owner -xf -
}

# Make folder $1 (mode $2, owner $3) only when it is missing: an upgrade never touches its files.
new_folder() {
    if [ -d "$(at "$1")" ]; then
        say "kept $1"
        return
    fi
    mkdir -p "$(at "$1")"
    chmod "$2" "$(at "$1")"
    system chown "$3" "$1"
    say "made $1"
}

# Write file $1 (mode $2, owner $3) from stdin only when it is missing.
new_file() {
    if [ -e "$(at "$1")" ]; then
        cat >/dev/null
        say "kept $1"
        return
    fi
    cat >"$(at "$1")"
    chmod "$2" "$(at "$1")"
    [ "$3" = root:root ] || system chown "$3" "$1"
    say "made $1"
}

# -- packages, users ------------------------------------------------------------------------------

packages=("${COMMON_PACKAGES[@]}")
if [ "$kiosk" = yes ]; then
    packages+=("${KIOSK_PACKAGES[@]}")
    [ "$kms" = yes ] || packages+=("${X11_PACKAGES[@]}")
fi
system sh "$SOURCE/tools/install_debian_packages.sh" "${packages[@]}"
if [ -z "$root" ]; then
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
        fail "expected Python 3.10 or later, got $(python3 --version 2>&1)"
fi

# Make system user $1 with home $2 and description $3 unless it exists.
add_user() {
    local name=$1 home=$2 create=(useradd --system --user-group)
    # The kiosk's home keeps Kivy's settings (~/.kivy) and X's log (~/.local/share/xorg).
    [ "$name" != "$KIOSK_USER" ] || create+=(--create-home)
    create+=(--home-dir "$home" --shell /usr/sbin/nologin --comment "$3" "$name")
    if [ -n "$root" ]; then
        system "${create[@]}"
    elif id -u "$name" >/dev/null 2>&1; then
        say "kept user $name"
    else
        "${create[@]}"
        say "made user $name"
    fi
}

if [ "$kiosk" = yes ]; then
    add_user "$KIOSK_USER" "/home/$KIOSK_USER" "legal service kiosk"
    # lp: USB printers (the udev rule below); dialout: serial printers; video, render: the screen.
    # input: KMS reads the touchscreen itself; under X it must not, or Kivy sees each touch twice.
    groups=(lp dialout video render)
    [ "$kms" = yes ] && groups+=(input)
    existing=()
    for group in "${groups[@]}"; do
        if [ -n "$root" ] || getent group "$group" >/dev/null; then existing+=("$group"); fi
    done
    system usermod -a -G "$(
        IFS=,
        echo "${existing[*]}"
    )" "$KIOSK_USER"
    if [ "$kms" = no ] && { [ -n "$root" ] || id -nG "$KIOSK_USER" | grep -qw input; }; then
        system gpasswd -d "$KIOSK_USER" input
    fi
fi
[ "$server" = no ] || add_user "$SERVER_USER" "$SERVER_DATA" "legal service kiosk: central server"

# -- the code and its virtual environment ---------------------------------------------------------

mkdir -p "$(at "$PREFIX")"
rm -rf "$(at "$APP.new")" "$(at "$APP.old")"
copy_tree "$(at "$APP.new")" "${CODE[@]}"
if [ -d "$(at "$APP")" ]; then mv "$(at "$APP")" "$(at "$APP.old")"; fi
mv "$(at "$APP.new")" "$(at "$APP")"
rm -rf "$(at "$APP.old")"
say "installed the code in $APP"
# A virtual environment only works where it was made, so a staging root gets none. One whose
# Python is gone (after an upgrade of the system) is made again.
if [ -n "$root" ]; then
    system python3 -m venv "$VENV"
elif ! "$VENV/bin/python" -c '' 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    say "made the virtual environment $VENV"
fi
system "$VENV/bin/python" -m pip install --quiet --upgrade pip
# Editable: the code finds its assets next to it, in $APP (kiosk/paths.py).
system "$VENV/bin/python" -m pip install --quiet --editable "$APP"
# The kiosk user cannot write next to the code: compile it now, or every start compiles it again.
system "$VENV/bin/python" -m compileall -q "$APP"

# -- configuration, data, logs --------------------------------------------------------------------

mkdir -p "$(at "$ETC")"
if [ -d "$(at "$ETC/content")" ]; then
    say "kept $ETC/content"
else
    copy_tree "$(at "$ETC/content.new")" assets/content
    mv "$(at "$ETC/content.new")/assets/content" "$(at "$ETC/content")"
    rm -rf "$(at "$ETC/content.new")"
    say "made $ETC/content from the sample content (a fictional center: replace it)"
fi

if [ "$kiosk" = yes ]; then
    ini=$(sed -e "s|^data_dir = .*|data_dir = $KIOSK_DATA|" \
        -e "s|^content_dir =.*|content_dir = $ETC/content|" \
        -e "s|^fullscreen = .*|fullscreen = yes|" "$SOURCE/kiosk.ini")
    for line in "data_dir = $KIOSK_DATA" "content_dir = $ETC/content" "fullscreen = yes"; do
        grep -qx "$line" <<<"$ini" || fail "kiosk.ini: expected to set '$line', got no such key in $SOURCE/kiosk.ini"
    done
    {
        echo "# Installed by deploy/install.sh from the repository's kiosk.ini: the data in $KIOSK_DATA,"
        echo "# the center's content in $ETC/content, full screen. An upgrade keeps this file."
        echo "# After a change: sudo -u $KIOSK_USER $VENV/bin/kiosk check --config $ETC/kiosk.ini"
        echo "# and then: sudo systemctl restart legal-kiosk (legal-kiosk-kms with --kms)."
        echo "$ini"
    } | new_file "$ETC/kiosk.ini" 0640 "root:$KIOSK_USER"
    new_file "$ETC/kiosk.env" 0644 root:root <<'EOF'
# Extra environment of the kiosk's unit (legal-kiosk or legal-kiosk-kms), one VAR=value a line.
# After a change: sudo systemctl restart legal-kiosk (legal-kiosk-kms on KMS).
#
# A screen mounted on its side or upside down: Kivy turns the picture, and the touches with it,
# by 90, 180 or 270 degrees.
#KCFG_GRAPHICS_ROTATION=90
EOF
    new_folder "$KIOSK_DATA" 0750 "$KIOSK_USER:$KIOSK_USER"
fi
if [ "$server" = yes ]; then
    new_file "$ETC/server.env" 0640 "root:$SERVER_USER" <<EOF
# The central server's settings (legal-kiosk-server.service), one VAR=value a line.
# After a change: sudo systemctl restart legal-kiosk-server
#
# The database: SQLite in the server's data folder, or PostgreSQL
# (postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE).
KIOSK_SERVER_DB=sqlite:///$SERVER_DATA/server.sqlite3
# The address and port kiosks, counters and phones reach it on (0.0.0.0: every network of this
# machine). Listen on the center's own network only.
KIOSK_SERVER_HOST=0.0.0.0
KIOSK_SERVER_PORT=8470
# The center's content (its queue rules and services; imported as version 1 on the first start).
KIOSK_SERVER_CONTENT=$ETC/content
# More options of kiosk-server run, in quotes, e.g. "--appointments $SERVER_DATA/appointments.csv"
KIOSK_SERVER_OPTIONS=
EOF
    new_folder "$SERVER_DATA" 0750 "$SERVER_USER:$SERVER_USER"
fi
log_group=adm
[ -n "$root" ] || getent group adm >/dev/null || log_group=root
new_folder "$LOGS" 0750 "root:$log_group"

# -- units, log rotation, the printer rule --------------------------------------------------------

mkdir -p "$(at "$UNITS")" "$(at /etc/logrotate.d)"
units=()
[ "$kiosk" = no ] || units+=(legal-kiosk.service legal-kiosk-kms.service)
[ "$server" = no ] || units+=(legal-kiosk-server.service)
for unit in "${units[@]}"; do
    install -m 0644 "$SOURCE/deploy/systemd/$unit" "$(at "$UNITS/$unit")"
done
install -m 0644 "$SOURCE/deploy/logrotate/legal-kiosk" "$(at /etc/logrotate.d/legal-kiosk)"
if [ "$kiosk" = yes ]; then
    mkdir -p "$(at /etc/udev/rules.d)"
    install -m 0644 "$SOURCE/deploy/udev/60-kiosk-printer.rules" "$(at /etc/udev/rules.d/60-kiosk-printer.rules)"
fi
say "installed ${units[*]}, /etc/logrotate.d/legal-kiosk$([ "$kiosk" = no ] || echo ", /etc/udev/rules.d/60-kiosk-printer.rules")"

# -- switch on ------------------------------------------------------------------------------------

system systemctl daemon-reload
if [ "$server" = yes ]; then
    system systemctl enable legal-kiosk-server.service
    system systemctl restart legal-kiosk-server.service
fi
if [ "$kiosk" = yes ]; then
    system udevadm control --reload-rules
    system udevadm trigger --subsystem-match=usb --subsystem-match=usbmisc
    unit=legal-kiosk.service other=legal-kiosk-kms.service
    [ "$kms" = no ] || unit=legal-kiosk-kms.service other=legal-kiosk.service
    system systemctl disable "$other"
    system systemctl enable "$unit"
    system runuser -u "$KIOSK_USER" -- "$VENV/bin/kiosk" check --config "$ETC/kiosk.ini" ||
        say "warning: fix what kiosk check says in $ETC/kiosk.ini; the kiosk shows nothing until then"
    if [ -z "$root" ] && systemctl -q is-enabled display-manager.service 2>/dev/null; then
        say "warning: a desktop's display manager is enabled and takes the screen: sudo systemctl disable display-manager.service"
    fi
    # Starting it takes tty1 from its login prompt: only an upgrade restarts it at once.
    if [ -z "$root" ] && { systemctl -q is-active "$unit" || systemctl -q is-active "$other"; }; then
        systemctl restart "$unit"
        say "restarted $unit"
    else
        say "$unit starts at the next boot (or now: sudo systemctl start $unit)"
    fi
fi
say "done; deploy/README.md says what comes next (the kiosk's token, the server's logins)"
