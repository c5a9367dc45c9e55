# Fixtures for it.migrate_formats.* and it.pg_formats.*: migration folders written here in each
# tool's own layout (names, folders, annotations, side files), never copied from a project.
# Each fixture_TOOL ENGINE writes ./migrations and ./expected.sql: the statements the tool
# would run for ENGINE (sqlite or postgres), in its order, for the database's shell to apply
# beside migrate so the two schemas can be compared.

# put FILE TEXT: writes migrations/FILE (folders made).
put() { mkdir -p "migrations/$(dirname "$1")" && printf '%s\n' "$2" >"migrations/$1"; }
# expect_sql TEXT: appends to expected.sql.
expect_sql() { printf '%s\n' "$1" >>expected.sql; }

fixture_dbmate() {
  put 20240101000000_users.sql "-- migrate:up
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);

-- migrate:down
DROP TABLE users;"
  put 20240102000000_email_index.sql "-- migrate:up transaction:false
CREATE INDEX users_email ON users (email);
-- migrate:down
DROP INDEX users_email;"
  expect_sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE INDEX users_email ON users (email);"
}

fixture_golang_migrate() {
  put 1_users.up.sql "BEGIN;
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
COMMIT;"
  put 1_users.down.sql "DROP TABLE users;"
  put 2_notes.up.sql "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
  put 2_notes.down.sql "DROP TABLE notes;"
  put 10_note_index.up.sql "CREATE INDEX notes_body ON notes (body);"
  put 10_note_index.down.sql "DROP INDEX notes_body;"
  expect_sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
CREATE INDEX notes_body ON notes (body);"
}

fixture_goose() {
  local engine=$1
  put 00001_users.sql "-- +goose Up
-- +goose StatementBegin
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
-- +goose StatementEnd

-- +goose Down
DROP TABLE users;"
  put 00002_users_index.sql "-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX users_email ON users (email);
-- +goose Down
DROP INDEX users_email;"
  if [ "$engine" = postgres ]; then
    put 20240301000000_audit.sql "-- +goose up
CREATE TABLE audit (n INTEGER);
-- +goose statementbegin
CREATE FUNCTION bump() RETURNS trigger AS \$\$
BEGIN
  INSERT INTO audit VALUES (1);
  RETURN NEW;
END;
\$\$ LANGUAGE plpgsql;
-- +goose statementend
CREATE TRIGGER users_audit AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION bump();
-- +goose down
DROP TABLE audit;"
    expect_sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE INDEX users_email ON users (email);
CREATE TABLE audit (n INTEGER);
CREATE FUNCTION bump() RETURNS trigger AS \$\$
BEGIN
  INSERT INTO audit VALUES (1);
  RETURN NEW;
END;
\$\$ LANGUAGE plpgsql;
CREATE TRIGGER users_audit AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION bump();"
  else
    put 20240301000000_audit.sql "-- +goose up
CREATE TABLE audit (n INTEGER);
-- +goose statementbegin
CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN
  INSERT INTO audit VALUES (1);
END;
-- +goose statementend
-- +goose down
DROP TABLE audit;"
    expect_sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE INDEX users_email ON users (email);
CREATE TABLE audit (n INTEGER);
CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN
  INSERT INTO audit VALUES (1);
END;"
  fi
}

fixture_sqlx() {
  put 20240101000000_users.sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);"
  put 20240102000000_index.sql "-- no-transaction
CREATE INDEX users_email ON users (email);"
  put 20240103000000_notes.up.sql "CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));"
  put 20240103000000_notes.down.sql "DROP TABLE notes;"
  expect_sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE INDEX users_email ON users (email);
CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));"
}

fixture_diesel() {
  put .keep ""
  put 00000000000000_diesel_initial_setup/up.sql "-- This file was automatically created by Diesel to setup helper functions
CREATE TABLE setup_marker (n INTEGER);"
  put 00000000000000_diesel_initial_setup/down.sql "DROP TABLE setup_marker;"
  put 2024-01-01-120000_create_users/up.sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);"
  put 2024-01-01-120000_create_users/down.sql "DROP TABLE users;"
  put 2024-01-02-120000_users_index/up.sql "CREATE INDEX users_email ON users (email);"
  put 2024-01-02-120000_users_index/down.sql "DROP INDEX users_email;"
  put 2024-01-02-120000_users_index/metadata.toml "run_in_transaction = false"
  expect_sql "CREATE TABLE setup_marker (n INTEGER);
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE INDEX users_email ON users (email);"
}

fixture_prisma() {
  put migration_lock.toml "provider = \"postgresql\""
  put 20240101120000_init/migration.sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);"
  put 20240102120000_notes/migration.sql "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
CREATE UNIQUE INDEX users_email_key ON users (email);"
  expect_sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
CREATE UNIQUE INDEX users_email_key ON users (email);"
}

fixture_drizzle() {
  put 0000_bold_users.sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
--> statement-breakpoint
CREATE INDEX users_email ON users (email);"
  put 0001_quiet_notes.sql "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
  put 0002_not_in_journal.sql "CREATE TABLE stray (n INTEGER);"
  put meta/_journal.json '{"version":"7","dialect":"postgresql","entries":[
{"idx":0,"version":"7","when":1704100000000,"tag":"0000_bold_users","breakpoints":true},
{"idx":1,"version":"7","when":1704200000000,"tag":"0001_quiet_notes","breakpoints":true}]}'
  put meta/0000_snapshot.json '{}'
  expect_sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE INDEX users_email ON users (email);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
}

fixture_flyway() {
  put V1__users.sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);"
  put V1_2__notes.sql "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
  put V1.10__tags.sql "CREATE TABLE tags (id INTEGER PRIMARY KEY);"
  put V1_9__labels.sql "CREATE TABLE labels (id INTEGER PRIMARY KEY);"
  put V2_1_3__index.sql "CREATE INDEX users_email ON users (email);"
  put V2_1_3__index.sql.conf "executeInTransaction=false"
  put U2_1_3__index.sql "DROP INDEX users_email;"
  put R__user_view.sql "DROP VIEW IF EXISTS user_emails;
CREATE VIEW user_emails AS SELECT email FROM users;"
  expect_sql "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
CREATE TABLE labels (id INTEGER PRIMARY KEY);
CREATE TABLE tags (id INTEGER PRIMARY KEY);
CREATE INDEX users_email ON users (email);
DROP VIEW IF EXISTS user_emails;
CREATE VIEW user_emails AS SELECT email FROM users;"
}

fixture_popx() {
  local engine=$1
  put 20150100000001000000_networks.up.sql "CREATE TABLE networks (id TEXT PRIMARY KEY);"
  put 20150100000001000000_networks.down.sql "DROP TABLE networks;"
  put 20150100000001000000_networks.mysql.up.sql "CREATE TABLE networks (id VARCHAR(36) PRIMARY KEY) ENGINE=InnoDB;"
  put 20200317160354000000_identities.postgres.up.sql "CREATE TABLE identities (id UUID PRIMARY KEY, nid TEXT REFERENCES networks (id));"
  put 20200317160354000000_identities.sqlite3.up.sql "CREATE TABLE identities (id TEXT PRIMARY KEY, nid TEXT REFERENCES networks (id));"
  put 20200317160354000000_identities.cockroach.up.sql "CREATE TABLE identities (id UUID PRIMARY KEY, nid STRING);"
  put 20200317160354000000_identities.mysql.up.sql "CREATE TABLE identities (id CHAR(36) PRIMARY KEY);"
  put 20200317160354000000_identities.down.sql "DROP TABLE identities;"
  put 20210410175418000001_index.postgres.autocommit.up.sql "CREATE INDEX CONCURRENTLY identities_nid ON identities (nid);"
  put 20210410175418000001_index.sqlite3.up.sql "CREATE INDEX identities_nid ON identities (nid);"
  put 20210410175418000001_index.mysql.up.sql ""
  put 20220101000000000000_only_mysql.mysql.up.sql "ALTER TABLE identities ENGINE=InnoDB;"
  expect_sql "CREATE TABLE networks (id TEXT PRIMARY KEY);"
  if [ "$engine" = postgres ]; then
    expect_sql "CREATE TABLE identities (id UUID PRIMARY KEY, nid TEXT REFERENCES networks (id));
CREATE INDEX CONCURRENTLY identities_nid ON identities (nid);"
  else
    expect_sql "CREATE TABLE identities (id TEXT PRIMARY KEY, nid TEXT REFERENCES networks (id));
CREATE INDEX identities_nid ON identities (nid);"
  fi
}

# Every layout above, for the per-layout cases.
FORMATS="dbmate golang_migrate goose sqlx diesel prisma drizzle flyway popx"
