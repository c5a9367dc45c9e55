#include "common/net/probe_redis.hpp"

#include <fmt/format.h>

#include <charconv>

#include "common/conninfo.hpp"
#include "common/error.hpp"
#include "common/net/connection.hpp"
#include "common/net/stream_io.hpp"
#include "common/parse.hpp"
#include "common/text.hpp"

// RESP (Redis's protocol, version 2: what a server speaks until a client sends HELLO 3) by
// hand rather than through hiredis: hiredis's reader cannot be linked without its formatter
// and networking (one object file in Debian's archive), which cost entrypoint 48 KiB of a size
// budget it has no room for, and a probe needs three commands and their single replies.
namespace ballast::probe {
namespace {

constexpr std::size_t kMaxReplies = std::size_t{64} * 1024;
constexpr int kMaxDepth = 8;

// One command as a RESP array of bulk strings (binary-safe: a password may hold anything).
std::string format_command(std::initializer_list<std::string_view> words) {
  std::string out = fmt::format("*{}\r\n", words.size());
  for (const auto w : words) out += fmt::format("${}\r\n{}\r\n", w.size(), w);
  return out;
}

// One reply: its type byte and, for a simple string, an error or a bulk string, its text.
struct Reply {
  char type = 0;
  std::string text;
};

enum class Parsed { kDone, kMore, kBad };

// Parses the reply at `pos` of `buf`, advancing `pos` past it when done.
Parsed parse_reply(std::string_view buf, std::size_t& pos, Reply& reply, int depth = 0) {
  const auto eol = buf.find("\r\n", pos);
  if (eol == std::string_view::npos) return Parsed::kMore;
  if (eol == pos || depth > kMaxDepth) return Parsed::kBad;
  const char type = buf[pos];
  const std::string_view line = buf.substr(pos + 1, eol - pos - 1);
  std::size_t next = eol + 2;
  reply.type = type;
  if (type == '+' || type == '-' || type == ':') {
    reply.text = line;
    pos = next;
    return Parsed::kDone;
  }
  long long n = 0;
  const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), n);
  if (ec != std::errc() || end != line.data() + line.size() || n < -1) return Parsed::kBad;
  if (type == '$') {
    if (n == -1) {
      pos = next;
      return Parsed::kDone;
    }
    const auto size = static_cast<std::size_t>(n);
    if (size > kMaxReplies) return Parsed::kBad;
    if (buf.size() < next + size + 2) return Parsed::kMore;
    if (buf.substr(next + size, 2) != "\r\n") return Parsed::kBad;
    reply.text = buf.substr(next, size);
    pos = next + size + 2;
    return Parsed::kDone;
  }
  if (type == '*') {
    for (long long i = 0; i < n; ++i) {
      Reply element;
      const Parsed p = parse_reply(buf, next, element, depth + 1);
      if (p != Parsed::kDone) return p;
    }
    pos = next;
    return Parsed::kDone;
  }
  return Parsed::kBad;
}

class RedisProbe final : public Probe {
 public:
  RedisProbe(Url url, TlsConnect tls, std::optional<std::string> user,
             std::optional<std::string> password, unsigned db)
      : url_(std::move(url)),
        tls_(tls),
        user_(std::move(user)),
        password_(std::move(password)),
        db_(db) {}

  Result run(const Settings& settings) override {
    const auto start = std::chrono::steady_clock::now();
    Result r{false, url_.display(), "", {}};
    r.url = r.target;
    const RedisAnswer a = exchange(settings);
    r.healthy = a.healthy;
    r.detail = a.detail;
    r.elapsed = std::chrono::steady_clock::now() - start;
    return r;
  }

 private:
  RedisAnswer exchange(const Settings& settings) {
    std::string error;
    const auto connection =
        Connection::open(url_, settings, tls_, url_.scheme == "rediss", false, error);
    if (!connection) return {false, error};
    ByteStream& stream = connection->stream();
    boost::system::error_code ec;
    if (!write_all(stream, redis_commands(user_, password_, db_), ec))
      return {false, io_failure(ec, settings.timeout, "request")};
    return read_redis_replies(stream, std::size_t{password_ ? 2U : 1U} + (db_ != 0 ? 1U : 0U),
                              settings.timeout);
  }

  Url url_;
  TlsConnect tls_;
  std::optional<std::string> user_;
  std::optional<std::string> password_;
  unsigned db_;
};

}  // namespace

std::string redis_commands(const std::optional<std::string>& user,
                           const std::optional<std::string>& password, unsigned db) {
  std::string out;
  if (password) {
    // Redis 6 ACLs take AUTH USER PASSWORD; a URL with a password alone is the default user
    // (AUTH PASSWORD, which every version reads).
    out += user && !user->empty() ? format_command({"AUTH", *user, *password})
                                  : format_command({"AUTH", *password});
  }
  if (db != 0) out += format_command({"SELECT", std::to_string(db)});
  return out + format_command({"PING"});
}

RedisAnswer read_redis_replies(ByteStream& stream, std::size_t count,
                               std::chrono::milliseconds timeout) {
  std::string buf;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < count; ++i) {
    Reply reply;
    for (;;) {
      const Parsed p = parse_reply(buf, pos, reply);
      if (p == Parsed::kDone) break;
      if (p == Parsed::kBad)
        return {false, fmt::format("not a Redis server (it answered '{}')",
                                   shown(std::string_view(buf).substr(0, 40), 40))};
      char chunk[4096];
      boost::system::error_code ec;
      const std::size_t n = stream.read(chunk, sizeof chunk, ec);
      if (ec) return {false, io_failure(ec, timeout, "reply")};
      if (n == 0) return {false, "connection closed before a reply"};
      if (buf.size() + n > kMaxReplies) return {false, "replies over 64 KiB: not a Redis server?"};
      buf.append(chunk, n);
    }
    if (reply.type == '-') {
      std::string said = reply.text.empty() ? "an error without a message" : shown(reply.text, 300);
      if (said.starts_with("NOAUTH"))
        said += ": put the password in the URL (redis://:PASSWORD@host)";
      return {false, said};
    }
    if (i + 1 == count) {
      if ((reply.type == '+' || reply.type == '$') && reply.text == "PONG") return {true, "PONG"};
      return {false, fmt::format("PING answered '{}', not PONG", shown(reply.text, 100))};
    }
  }
  return {false, "no reply"};
}

std::unique_ptr<Probe> make_redis_probe(const Url& url, TlsConnect tls) {
  if (url.scheme == "rediss" && tls == nullptr)
    throw UsageError(fmt::format(
        "{}: this binary has no TLS (entrypoint keeps it out to stay small); probe it with "
        "healthcheck",
        url.display()));
  unsigned db = 0;
  if (url.target != "/" && !url.target.empty()) {
    const auto n = parse_uint(std::string_view(url.target).substr(1), 0u, 1'000'000u);
    if (!n)
      throw UsageError(
          fmt::format("invalid target '{}': the path is a database number (/0)", url.display()));
    db = *n;
  }
  std::optional<std::string> user;
  std::optional<std::string> password;
  if (!url.userinfo.empty()) {
    const auto colon = url.userinfo.find(':');
    if (colon == std::string::npos) {
      // redis://SECRET@host: redis-cli -u reads a lone userinfo as the password.
      password = percent_decode(url.userinfo);
    } else {
      user = percent_decode(url.userinfo.substr(0, colon));
      password = percent_decode(url.userinfo.substr(colon + 1));
    }
  }
  return std::make_unique<RedisProbe>(url, tls, std::move(user), std::move(password), db);
}

}  // namespace ballast::probe
