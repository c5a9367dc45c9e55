# it.docs.*: what the README and docker/ show is what the project builds and tests.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# readme_snippet FILE: the code block that follows "<!-- snippet: FILE -->" in README.md.
readme_snippet() {
  awk -v marker="<!-- snippet: $1 -->" '
    $0 == marker { found = 1; next }
    found && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }' "$REPO/README.md"
}

# joined FILE: FILE's lines with backslash continuations joined and runs of blanks made one.
joined() { sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*//; ta' "$1" | tr -s ' \t' '  ' | sed 's/^ //'; }

# expect_yaml_subset SNIPPET FILE: every scalar of the YAML in SNIPPET is at the same path,
# with the same value, in FILE (list positions included).
expect_yaml_subset() {
  yq -c . "$1" >snippet.json || fail "the README's snippet for $2 is not YAML"
  yq -c . "$2" >file.json || fail "$2 is not YAML"
  local missing
  missing=$(jq -r --slurpfile f file.json '
    . as $s | [paths(scalars)] | map(. as $p | select(($s | getpath($p)) != ($f[0] | getpath($p)))) |
    map(map(tostring) | join(".")) | .[]' snippet.json) || fail "jq could not compare the snippet with $2"
  [ -z "$missing" ] || fail "the README's snippet differs from $2 at: $missing"
}

test_readme_dockerfile_lines_are_lines_of_the_example_dockerfile() {
  readme_snippet docker/example/Dockerfile >snippet
  [ "$(grep -c . snippet)" -ge 3 ] || fail "README.md has no Dockerfile snippet from docker/example/Dockerfile"
  joined "$REPO/docker/example/Dockerfile" >dockerfile
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    grep -qxF "$(tr -s ' \t' '  ' <<<"$line")" dockerfile || fail "README line not in docker/example/Dockerfile: $line"
  done <snippet
}

test_readme_compose_and_kubernetes_snippets_are_parts_of_the_example_files() {
  for f in docker/example/compose.yaml docker/example/k8s/deployment.yaml; do
    readme_snippet "$f" >snippet.yaml
    [ -s snippet.yaml ] || fail "README.md has no snippet from $f"
    expect_yaml_subset snippet.yaml "$REPO/$f"
  done
}

test_yaml_subset_check_catches_a_changed_value() {
  # The check above must be able to fail: a snippet with a value the file does not have.
  printf 'services:\n  migrate:\n    command: ["migrate", "status"]\n' >changed.yaml
  run_capture expect_yaml_subset changed.yaml "$REPO/docker/example/compose.yaml"
  expect_rc 1
  expect_out "services.migrate.command.1"
}

test_ballast_dockerfile_pins_its_base_and_ships_only_the_three_binaries_and_licences() {
  df=$REPO/docker/Dockerfile
  grep -Eq '^FROM --platform=\$BUILDPLATFORM [^ ]+@sha256:[0-9a-f]{64} AS build$' "$df" || fail "docker/Dockerfile's build stage is not pinned by digest (on the build machine's platform)"
  grep -qF 'scripts/bootstrap --build-only --arch "${TARGETARCH:-amd64}"' "$df" || fail "docker/Dockerfile does not run the project's bootstrap for the target architecture"
  # Each target architecture gets its release preset, and the presets exist.
  grep -qF 'arm64) preset=release-aarch64 ;; *) preset=release ;;' "$df" || fail "docker/Dockerfile does not pick the release preset per architecture"
  for p in release release-aarch64; do
    grep -q "\"name\": \"$p\"" "$REPO/CMakePresets.json" || fail "CMakePresets.json has no $p preset"
  done
  grep -qF 'cmake --build --preset "$preset"' "$df" || fail "docker/Dockerfile does not run the release build"
  expect_eq "FROM scratch" "$(grep '^FROM' "$df" | tail -n1)" "final stage"
  # The binaries it installs are where the release preset's layout puts them.
  build_dir=$(cd "$BALLAST_BIN_DIR/../.." && pwd)
  for b in entrypoint healthcheck migrate; do
    joined "$df" | grep -qF "\"build/\$preset/$b/$b\"" || fail "docker/Dockerfile does not install $b"
    [ -x "$build_dir/$b/$b" ] || fail "the build does not make $b/$b (docker/Dockerfile expects build/release/$b/$b)"
  done
  run_capture "$REPO/scripts/licenses" "$WORK/licenses"
  expect_rc 0
  for f in ballast.LICENSE glibc.copyright mbedtls.copyright libpq.copyright sqlite.copyright README; do
    [ -s "$WORK/licenses/$f" ] || fail "scripts/licenses wrote no $f"
  done
}

test_every_lint_rule_has_its_page_and_every_page_a_rule() {
  local rules id
  rules=$(grep -o 'LintRule{"[a-z-]*"' "$REPO/migrate/lint.cpp" | sed 's/LintRule{"//; s/"$//')
  [ "$(echo "$rules" | grep -c .)" -ge 25 ] || fail "could not read the rule ids from migrate/lint.cpp"
  for id in $rules; do
    [ -f "$REPO/docs/lint/$id.md" ] || fail "lint rule $id has no page docs/lint/$id.md"
    grep -q "^| \[$id\]($id.md) |" "$REPO/docs/lint/README.md" || fail "docs/lint/README.md does not list $id"
    # A finding's message names the rule, which names the page: the id must be a heading there.
    grep -qx "# $id" "$REPO/docs/lint/$id.md" || fail "docs/lint/$id.md does not start with its id"
  done
  for page in "$REPO"/docs/lint/*.md; do
    id=$(basename "$page" .md)
    case $id in README | squawk) continue ;; esac
    echo "$rules" | grep -qx "$id" || fail "docs/lint/$id.md documents no rule of migrate/lint.cpp"
  done
}
