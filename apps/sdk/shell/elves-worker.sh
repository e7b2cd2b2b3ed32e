# Elves worker helper for POSIX sh apps: source it from the app's app-worker.sh
#
#     case $0 in */*) ELVES_HERE=${0%/*} ;; *) ELVES_HERE=. ;; esac
#     . "$ELVES_HERE/elves-worker.sh"
#
# The agent runs:  /bin/sh <apps>/<app>/app-worker.sh <app> <func> <base64 of the param JSON>

# elves_decode_param <base64>: prints the param JSON text (nothing for an empty argument);
# fails (non-zero) when the argument is not base64.
elves_decode_param() {
    [ -n "$1" ] || return 0
    printf '%s' "$1" | base64 -d 2>/dev/null
}

# elves_result <flag> <text>: prints the two tags the agent reads; flag is "true" or "false".
elves_result() {
    printf '<ElvesWFlag>%s</ElvesWFlag> <ElvesWResult>%s</ElvesWResult>\n' "$1" "$2"
}
