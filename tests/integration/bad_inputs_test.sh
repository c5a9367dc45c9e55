# it.bad_inputs.*: every option of every binary (read from its --help, so a new option is
# swept too), as a flag and in its environment form, given malformed values: empty, 100 KB,
# control characters and a newline, negative, huge numbers, a missing path, a folder, a FIFO,
# a 10 MB file, an empty file. Each run ends on its own (never a hang, never a signal) with a
# documented exit code, and what it prints is whole lines of at most 4 KiB without control
# characters, with exactly one fatal line when it refuses.

# sweep_values: the malformed values, one per line of the array $values.
sweep_values() {
  mkdir -p adir
  mkfifo fifo
  : >empty
  head -c 10485760 /dev/urandom >big10m
  values=(
    ""
    "$(head -c 100000 /dev/zero | tr '\0' x)"
    $'garbage\x01\x1b[2J\nsecond line'
    "-1"
    "99999999999999999999"
    "/nonexistent/dir/file"
    "$WORK/adir"
    "$WORK/fifo"
    "$WORK/big10m"
    "$WORK/empty"
  )
}

# options_of BINARY: "NAME ENV" (ENV "-" when none) for every option that takes a value, read
# from BINARY --help (a wrapped description is joined to its option's line first).
options_of() {
  "$1" --help | awk '/^                    +[^ ]/ && prev != "" { prev = prev " " $0; next }
                     { if (prev != "") print prev; prev = $0 } END { print prev }' |
    sed -n -E 's/^ +(-[a-zA-Z], )?--([a-z-]+) [^ ].*/\2 &/p' |
    while read -r name line; do
      env=$(printf '%s' "$line" | grep -o -E '\[env [A-Z_]+\]$' | sed -E 's/\[env ([A-Z_]+)\]/\1/')
      echo "$name ${env:--}"
    done
}

# judge WHAT ALLOWED_CODES...: checks the last run ($rc, $out).
judge() {
  local what=$1
  shift
  [ "$rc" != 124 ] || fail "$what: still running after 20s"
  [ "$rc" -lt 126 ] || fail "$what: exit $rc (a signal or a crash); output: $(printf '%s' "$out" | head -c 500)"
  case " $* " in *" $rc "*) ;; *) fail "$what: exit $rc, not one of the documented $*; output: $(printf '%s' "$out" | head -c 500)" ;; esac
  if printf '%s' "$out" | LC_ALL=C grep -q -P '[\x00-\x08\x0b-\x1f\x7f]'; then
    fail "$what: a control character in the output: $(printf '%s' "$out" | head -c 300 | od -c | head -5)"
  fi
  local longest
  longest=$(printf '%s\n' "$out" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
  [ "$longest" -le 4096 ] || fail "$what: a line of $longest bytes"
  if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
    [ "$(printf '%s\n' "$out" | grep -c 'fatal:')" = 1 ] || fail "$what: exit $rc without exactly one fatal line: $(printf '%s' "$out" | head -c 500)"
  fi
}

# sweep BINARY ALLOWED_CODES -- ARGS...: each option with each value, after ARGS' options and
# before the rest, as a flag; then the same in the environment form.
sweep() {
  local bin=$1 allowed=$2
  shift 3
  sweep_values
  local runs=0
  while read -r name env; do
    case "$name" in help | version) continue ;; esac
    for v in "${values[@]}"; do
      rc=0
      out=$(cd "$WORK" && timeout 20 "$bin" "--$name" "$v" "$@" 2>&1 </dev/null) || rc=$?
      judge "$(basename "$bin") --$name '$(printf '%s' "$v" | head -c 40)'" $allowed
      runs=$((runs + 1))
      [ "$env" != - ] || continue
      rc=0
      out=$(cd "$WORK" && env "$env=$v" timeout 20 "$bin" "$@" 2>&1 </dev/null) || rc=$?
      judge "$(basename "$bin") with $env='$(printf '%s' "$v" | head -c 40)'" $allowed
      runs=$((runs + 1))
    done
  done < <(options_of "$bin")
  [ "$runs" -ge 100 ] || fail "only $runs runs: the options were not read from --help"
  echo "$runs runs"
}

test_entrypoint_every_option_with_malformed_values() {
  # COMMAND is `true`: a run whose options pass exits 0.
  sweep "$ENTRYPOINT" "0 64 65 69 71 77 78" -- -- true
}

test_healthcheck_every_option_with_malformed_values() {
  # A refused port: a probe whose options pass is unhealthy (1) at once; usage errors are 1 too.
  sweep "$HEALTHCHECK" "0 1" -- http://127.0.0.1:1/
}

test_migrate_every_option_with_malformed_values() {
  mkdir -p migrations
  printf 'CREATE TABLE a (x INTEGER);\n' >migrations/0001_a.sql
  export DATABASE_URL="sqlite:$WORK/app.db"
  sweep "$MIGRATE" "0 1 64 65 69 71 75 77 78" -- status
}

test_secret_policy_and_database_files_that_are_folders_fifos_empty_or_huge() {
  sweep_values
  for f in adir fifo empty big10m /nonexistent/x; do
    run_capture env "JWT_SECRET_FILE=$f" timeout 20 "$ENTRYPOINT" -- true
    judge "JWT_SECRET_FILE=$f" 78
    run_capture env "DATABASE_URL_FILE=$f" timeout 20 "$MIGRATE" status
    judge "DATABASE_URL_FILE=$f" 78
    run_capture timeout 20 "$ENTRYPOINT" --policy "$f" -- true
    judge "--policy $f" 78
  done
  mkdir -p m
  printf 'CREATE TABLE a (x INTEGER);\n' >m/0001_a.sql
  for f in adir fifo big10m; do
    rm -rf m/reviewed.sum
    if [ "$f" = adir ]; then mkdir m/reviewed.sum; else ln -s "$WORK/$f" m/reviewed.sum; fi
    run_capture timeout 20 "$MIGRATE" status --dir m --database "sqlite:$WORK/app.db"
    judge "reviewed.sum as $f" 0 65 71
  done
}
