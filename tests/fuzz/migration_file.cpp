// Migration file and folder names of every style (Ballast, dbmate, golang-migrate, goose,
// sqlx, popx, Flyway, prisma, diesel) and a file's
// text: its directives (-- migrate:up/down, -- +goose Up/Down, no-transaction), the up section and
// the marks of generated files. Names parse or are skipped; text never throws but a DataError.
// Input: "FILE_NAME\0FILE_TEXT".
#include <algorithm>

#include "fuzz.hpp"
#include "migrate/generated.hpp"
#include "migrate/migration_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ballast;
  using namespace ballast::migrate;
  const auto text = fuzz::as_text(data, size);
  const auto cut = text.find('\0');
  const std::string name(text.substr(0, cut));
  const std::string body(cut == std::string_view::npos ? "" : text.substr(cut + 1));
  const FileName parsed = parse_file_name(name);
  if (parsed.kind == NameKind::kMigration) {
    FUZZ_CHECK(name.ends_with(".sql"));
    // Flyway's description may be empty (V1__.sql); any other name is part of the file's.
    FUZZ_CHECK(name.find(parsed.name) != std::string::npos);
    FUZZ_CHECK(!parsed.name.empty() || parsed.style == FileStyle::kFlyway);
    // The version text round-trips, and compares equal to itself parsed again.
    FUZZ_CHECK(Version::from_history(parsed.version.text()) == parsed.version);
  }
  for (const auto style : {FileStyle::kPrisma, FileStyle::kDiesel}) {
    const FileName folder = parse_folder_name(name, style);
    if (folder.kind != NameKind::kNone) FUZZ_CHECK(folder.kind == NameKind::kMigration);
  }
  (void)wants_no_transaction(body);
  (void)generated_mark(body);
  std::string up;
  if (fuzz::refused([&] { up = up_section(body, name); })) return 0;
  // The up section keeps the file's line numbers, so a failure's line is the file's line.
  const auto lines = [](std::string_view t) { return std::count(t.begin(), t.end(), '\n'); };
  if (up != body) FUZZ_CHECK(lines(up) == lines(body) || lines(up) == lines(body) + 1);
  return 0;
}
