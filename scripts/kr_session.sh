#!/bin/sh
# Runs "$@" inside a private D-Bus session with an unlocked throw-away gnome-keyring, so
# `keyring` finds a real Secret Service. XDG dirs are isolated: a keyring left from an
# earlier run with another unlock password would be locked.
set -e
KR_TMP=$(mktemp -d)
export XDG_DATA_HOME="$KR_TMP/data" XDG_RUNTIME_DIR="$KR_TMP/run" \
  XDG_CONFIG_HOME="$KR_TMP/config" XDG_CACHE_HOME="$KR_TMP/cache"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
trap 'rm -rf "$KR_TMP"' EXIT
dbus-run-session -- sh -c \
  'echo -n throwaway-unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "$@"' \
  sh "$@"
