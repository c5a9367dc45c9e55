# it.migrate_modules.*: modules pinned in modules.json, on real SQLite files.

write_migration() { mkdir -p "$(dirname "$1")" && printf '%s\n' "$2" >"$1"; }

# two_modules TAG_OR_BRANCH_JSON: core + modules "billing" and "notes", each with version 1.
two_modules() {
  write_migration migrations/0001_core.sql "CREATE TABLE core (id INTEGER);"
  write_migration modules/billing/0001_invoices.sql "CREATE TABLE invoices (id INTEGER);"
  write_migration modules/notes/0001_notes.sql "CREATE TABLE notes (id INTEGER);"
  for d in migrations modules/billing modules/notes; do (cd "$d" && sha256sum -- *.sql >reviewed.sum); done
  cat >modules.json <<JSON
{"modules": [
  {"id": "billing", "repository": "https://example.com/billing.git", $1, "migrations": "modules/billing"},
  {"id": "notes", "repository": "https://example.com/notes.git", "tag": "v1.0.0", "migrations": "modules/notes"}
]}
JSON
}

test_modules_with_the_same_versions_apply_in_their_own_namespaces() {
  two_modules '"tag": "v1.0.2"'
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "applied billing/0001_invoices.sql"
  expect_out "3 migrations applied"
  expect_eq "|1
billing|1
notes|1" "$(sqlite3 app.db "SELECT module, version FROM ballast_schema_history ORDER BY module")" "history"
}

test_branch_pinned_module_is_refused_in_prod_and_accepted_in_dev() {
  two_modules '"branch": "develop"'
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "module billing (modules[0]): follows branch 'develop': pin it to a release tag"
  [ ! -e app.db ] || [ -z "$(sqlite3 app.db "SELECT name FROM sqlite_master")" ] || fail "something was applied"
  run_capture env MODE=prod "$MIGRATE" verify
  expect_rc 65
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "warning: module billing (modules[0]): follows branch 'develop'"
}

test_non_semver_and_prerelease_tags_are_refused_in_prod() {
  two_modules '"tag": "latest"'
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "tag 'latest' is not vMAJOR.MINOR.PATCH"
  two_modules '"tag": "v1.2.0-rc.1"'
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "is a pre-release (pass --allow-prerelease"
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db --allow-prerelease
  expect_rc 0
}

test_digest_mismatch_after_an_edit_is_refused_and_pin_then_apply_passes() {
  two_modules '"tag": "v1.0.2"'
  run_capture "$MIGRATE" pin billing
  expect_rc 0
  digest=$(cd modules/billing && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  expect_out "billing sha256:$digest"
  grep -q "\"digest\": \"sha256:$digest\"" modules.json || fail "modules.json lacks the digest"
  printf 'CREATE TABLE invoices (id INTEGER, evil TEXT);\n' >modules/billing/0001_invoices.sql
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "module billing (modules[0]): digest mismatch"
  (cd modules/billing && sha256sum -- *.sql >reviewed.sum)
  run_capture "$MIGRATE" pin billing
  expect_rc 0
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  run_capture env MODE=prod "$MIGRATE" pin billing
  expect_rc 78
}

test_strict_pins_need_commit_and_digest() {
  two_modules '"tag": "v1.0.2"'
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db --strict-pins
  expect_rc 65
  expect_out "--strict-pins: commit missing"
}

test_module_folder_escapes_are_refused() {
  two_modules '"tag": "v1.0.2"'
  mkdir -p ../outside-$$ && on_exit "rm -rf '$WORK/../outside-$$'"
  sed -i 's#"modules/notes"#"../outside-'$$'"#' modules.json
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "modules[1].migrations: ../outside-$$ resolves to"
  two_modules '"tag": "v1.0.2"'
  ln -s /etc modules/etc-link
  sed -i 's#"modules/notes"#"modules/etc-link"#' modules.json
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "outside"
  two_modules '"tag": "v1.0.2"'
  sed -i 's#"modules/notes"#"/tmp"#' modules.json
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 65
  expect_out "outside"
}

test_malformed_modules_files_give_one_clear_error_each() {
  two_modules '"tag": "v1.0.2"'
  check() {  # check JSON EXPECTED
    printf '%s\n' "$1" >modules.json
    run_capture "$MIGRATE" status --database sqlite:app.db
    expect_rc 65
    expect_out "$2"
  }
  check '{"modules": [' "not valid JSON"
  check '{"modules": [{"id": "a", "repository": "r", "tag": "v1.0.0", "migrations": "modules/notes", "tagg": 1}]}' "modules[0].tagg: unknown key"
  check '{"modules": [{"id": "a", "repository": "r", "tag": "v1.0.0", "migrations": "modules/notes"}, {"id": "a", "repository": "r", "tag": "v1.0.0", "migrations": "modules/billing"}]}' "modules[1].id: duplicate id 'a'"
  check '{"modules": [{"id": "a", "repository": "r", "tag": "v1.0.0", "branch": "main", "migrations": "modules/notes"}]}' "modules[0].tag: both tag and branch"
  check '{"modules": [{"id": "a", "repository": "r", "tag": "v1.0.0", "migrations": "modules/nope"}]}' "modules[0].migrations: folder"
  check '{"modules": [{"id": "a", "repository": "r", "tag": "v1.0.0", "migrations": "modules/notes", "commit": "xyz"}]}' "modules[0].commit: expected 40"
}

test_per_environment_form_picks_the_section_by_mode() {
  two_modules '"tag": "v1.0.2"'
  cat >modules.json <<'JSON'
{"development": {"modules": [{"id": "billing", "repository": "r", "branch": "develop", "migrations": "modules/billing"}]},
 "production": {"modules": [{"id": "billing", "repository": "r", "tag": "v1.0.2", "migrations": "modules/billing"}]}}
JSON
  run_capture env MODE=prod "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  run_capture "$MIGRATE" plan --database sqlite:app.db
  expect_out "warning: module billing (development.modules[0]): follows branch 'develop'"
}

test_disabled_modules_are_skipped_and_unlisted_ones_show_as_missing() {
  two_modules '"tag": "v1.0.2"'
  "$MIGRATE" apply --database sqlite:app.db >/dev/null 2>&1 || fail "apply failed"
  sed -i 's#"migrations": "modules/billing"}#"migrations": "modules/billing", "enabled": false}#' modules.json
  write_migration modules/billing/0002_more.sql "CREATE TABLE more (id INTEGER);"
  run_capture "$MIGRATE" apply --database sqlite:app.db
  expect_rc 0
  expect_out "0 migrations applied"
  printf '{"modules": []}\n' >modules.json
  run_capture "$MIGRATE" status --database sqlite:app.db
  expect_rc 0
  expect_out "missing   "
  expect_out "notes/notes (no file)"
  run_capture "$MIGRATE" apply --database sqlite:app.db --module notes
  expect_rc 64
}
