#!/bin/sh
# Example Elves app in POSIX sh. Funcs:
#   echo  returns the param JSON text (trailing newlines dropped)
#   noop  returns flag true at once: no other process is started (benchmarks use it)
case $0 in */*) ELVES_HERE=${0%/*} ;; *) ELVES_HERE=. ;; esac
. "$ELVES_HERE/elves-worker.sh"

case "$2" in
    noop)
        elves_result true ""
        ;;
    echo)
        if param=$(elves_decode_param "$3"); then
            elves_result true "$param"
        else
            elves_result false "param is not base64"
        fi
        ;;
    *)
        elves_result false "unknown func [$2] of app [$1]; known: echo, noop"
        ;;
esac
