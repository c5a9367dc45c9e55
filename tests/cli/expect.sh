#!/usr/bin/env bash
# expect.sh CODE TEXT COMMAND [ARG...]: runs COMMAND and passes when it exits with CODE and
# TEXT appears in its stdout or stderr.
set -u
want_code=$1 want_text=$2
shift 2
out=$("$@" 2>&1)
code=$?
if [ "$code" != "$want_code" ]; then
  printf 'expected exit %s, got %s from: %s\n--- output ---\n%s\n' "$want_code" "$code" "$*" "$out"
  exit 1
fi
case "$out" in
  *"$want_text"*) exit 0 ;;
esac
printf 'exit %s as expected, but output lacks "%s"\n--- output ---\n%s\n' "$code" "$want_text" "$out"
exit 1
