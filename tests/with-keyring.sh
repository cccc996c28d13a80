#!/usr/bin/env bash
# Starts an unlocked GNOME Keyring in the current D-Bus session (a fresh, throw-away keyring
# under a temporary XDG_DATA_HOME), runs the given command, then removes the keyring.
set -euo pipefail
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
# The password on stdin creates and unlocks a throw-away login keyring; it guards nothing.
eval "$(printf 'throwaway-test-keyring' | gnome-keyring-daemon --daemonize --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL
"$@"
