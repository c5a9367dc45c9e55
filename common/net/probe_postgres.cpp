#include "common/net/probe_postgres.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <boost/asio/error.hpp>
#include <optional>

#include "common/net/socket.hpp"
#include "common/net/stream_io.hpp"
#include "common/text.hpp"

// The start of PostgreSQL's frontend/backend protocol (version 3.0), written here rather than
// through libpq's PQping: libpq and its OpenSSL would more than double healthcheck and do not
// fit entrypoint at all, and a readiness verdict needs only the startup message and the
// server's first answers (the same facts PQping reads: an authentication request, or an
// ErrorResponse whose SQLSTATE says why connections are refused).
namespace ballast::probe {
namespace {

using boost::system::error_code;

constexpr std::uint32_t kProtocol30 = 196608;  // 3 << 16
constexpr std::uint32_t kSslRequest = 80877103;
constexpr std::uint32_t kMaxMessage = 64 * 1024;  // startup answers are small; more is not PG

// A typed message: its type byte and length word, then the payload.
std::string message(char type, std::string_view payload) {
  std::string out(1, type);
  append_be32(out, static_cast<std::uint32_t>(payload.size() + 4));
  out += payload;
  return out;
}

std::string startup_message(const std::string& user, const std::string& dbname) {
  std::string body;
  append_be32(body, kProtocol30);
  for (const auto& [k, v] : {std::pair<std::string_view, std::string_view>{"user", user},
                             {"database", dbname},
                             {"application_name", "ballast-healthcheck"}}) {
    body += k;
    body += '\0';
    body += v;
    body += '\0';
  }
  body += '\0';
  std::string out;
  append_be32(out, static_cast<std::uint32_t>(body.size() + 4));
  return out + body;
}

// The fields of an ErrorResponse that a verdict needs.
struct ServerError {
  std::string sqlstate;
  std::string message;
  std::string detail;
};

ServerError parse_error(std::string_view payload) {
  ServerError e;
  while (!payload.empty() && payload.front() != '\0') {
    const char field = payload.front();
    payload.remove_prefix(1);
    const auto nul = payload.find('\0');
    const std::string_view value = payload.substr(0, nul);
    if (field == 'C') e.sqlstate = value;
    if (field == 'M') e.message = value;
    if (field == 'D') e.detail = value;
    if (nul == std::string_view::npos) break;
    payload.remove_prefix(nul + 1);
  }
  return e;
}

// The name libpq uses when the connection string names no user: the effective user's.
std::string default_user() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr)
    return pw->pw_name;
  return "postgres";
}

std::string printable_start(std::string_view bytes) {
  std::string out;
  for (const char c : bytes.substr(0, 16)) out += (c >= 0x20 && c < 0x7f) ? c : '.';
  return out;
}

// pg_isready's reading of an error at startup: only "cannot connect now" (starting up,
// shutting down, recovering without hot standby) means rejecting; any other error proves the
// server accepts connections. Two differences, both toward "unhealthy": too many clients
// (53300) is rejecting, since no client could connect; and a probe given a password must log
// in, so an authentication or database error is unhealthy then.
PgAnswer judge(const ServerError& e, bool login) {
  const std::string said = fmt::format("{}{}", shown(e.message, 300),
                                       e.detail.empty() ? "" : " (" + shown(e.detail, 200) + ")");
  if (e.sqlstate == "57P03" || e.sqlstate == "53300")
    return {false, "rejecting connections: " + said};
  if (login)
    return {false, fmt::format("accepting connections, but login failed: {} [{}]", said,
                               shown(e.sqlstate, 5))};
  if (e.sqlstate.size() != 5)
    return {false, "no response: the server sent an error without a SQLSTATE: " + said};
  return {true, fmt::format("accepting connections (server said: {})", said)};
}

class PostgresProbe final : public Probe {
 public:
  PostgresProbe(ConnInfo conn, TlsConnect tls, PgAuthStart auth)
      : conn_(std::move(conn)), tls_(tls), auth_(auth) {
    user_ = conn_.get("user").value_or(default_user());
    dbname_ = conn_.get("dbname").value_or(user_);
    // A password is used only by a binary that can log in with it; one that cannot (entrypoint)
    // judges readiness alone, as without one.
    if (auth_ != nullptr) password_ = conn_.get("password");
    sslmode_ = ascii_lower(conn_.get("sslmode").value_or("prefer"));
    display_ = conn_.display();
  }

  Result run(const Settings& settings) override {
    const auto start = std::chrono::steady_clock::now();
    const Deadline deadline(settings.timeout);
    Result r{false, display_, "", {}};
    r.url = display_;
    std::vector<std::string> failures;
    const auto endpoints = conn_.endpoints();
    for (const auto& e : endpoints) {
      PgAnswer a = ask(e, settings, deadline);
      if (a.healthy) {
        r.healthy = true;
        r.detail = std::move(a.detail);
        break;
      }
      failures.push_back(endpoints.size() > 1 ? fmt::format("{}: {}", where(e), a.detail)
                                              : std::move(a.detail));
    }
    if (!r.healthy) r.detail = fmt::format("{}", fmt::join(failures, "; "));
    r.elapsed = std::chrono::steady_clock::now() - start;
    return r;
  }

 private:
  static std::string where(const PgEndpoint& e) {
    if (e.host.empty() || e.unix_socket()) return socket_path(e);
    return e.host.find(':') != std::string::npos ? fmt::format("[{}]:{}", e.host, e.port)
                                                 : fmt::format("{}:{}", e.host, e.port);
  }

  static std::string socket_path(const PgEndpoint& e) {
    return fmt::format("{}/.s.PGSQL.{}", e.host.empty() ? "/var/run/postgresql" : e.host, e.port);
  }

  PgAnswer ask(const PgEndpoint& e, const Settings& settings, const Deadline& deadline) {
    ConnectError cerr;
    const bool local = e.host.empty() || e.unix_socket();
    Fd fd = local ? connect_unix(socket_path(e), deadline, cerr)
                  : connect_tcp(e.host, e.port, deadline, cerr);
    if (!fd) return {false, "no response: " + cerr.message};
    SocketStream socket(std::move(fd), deadline);
    std::unique_ptr<ByteStream> tls;
    error_code ec;
    // TLS only guards what a login sends; a probe without a password sends a user name alone.
    if (password_ && !local && sslmode_ != "disable" && sslmode_ != "allow") {
      std::string why;
      if (!start_tls(socket, e, settings, tls, why)) return {false, why};
    }
    ByteStream& stream = tls ? *tls : static_cast<ByteStream&>(socket);
    if (!write_all(stream, startup_message(user_, dbname_), ec))
      return {false, "no response: " + io_failure(ec, settings.timeout, "startup")};
    return read_startup_answer(stream, user_, password_, auth_, settings.timeout);
  }

  // SSLRequest, then TLS when the server agrees; false with `why` when sslmode forbids going on.
  bool start_tls(SocketStream& socket, const PgEndpoint& e, const Settings& settings,
                 std::unique_ptr<ByteStream>& tls, std::string& why) {
    const bool required = sslmode_ == "require" || sslmode_.starts_with("verify");
    error_code ec;
    std::string request;
    append_be32(request, 8);
    append_be32(request, kSslRequest);
    char reply = 0;
    if (!write_all(socket, request, ec) || !read_exact(socket, &reply, 1, ec)) {
      why = "no response: " + io_failure(ec, settings.timeout, "SSL request");
      return false;
    }
    if (reply == 'N') {
      if (!required) return true;
      why = fmt::format("the server does not support SSL, but sslmode={}", sslmode_);
      return false;
    }
    if (reply != 'S') {
      why = fmt::format("not a PostgreSQL server (it answered '{}' to an SSL request)",
                        printable_start(std::string_view(&reply, 1)));
      return false;
    }
    if (tls_ == nullptr) {
      why =
          "the server wants TLS for a login, and this binary has no TLS: probe it with "
          "healthcheck";
      return false;
    }
    TlsOptions o{e.host, settings.tls};
    o.settings.ca_file = conn_.get("sslrootcert").value_or(settings.tls.ca_file);
    // libpq checks the certificate only for verify-ca and verify-full; so does the probe.
    o.settings.insecure = !sslmode_.starts_with("verify");
    std::string error;
    tls = tls_(socket, o, error);
    if (!tls) why = "TLS: " + error;
    return tls != nullptr;
  }

  ConnInfo conn_;
  TlsConnect tls_;
  PgAuthStart auth_;
  std::string user_;
  std::string dbname_;
  std::optional<std::string> password_;
  std::string sslmode_;
  std::string display_;
};

}  // namespace

PgAnswer read_startup_answer(ByteStream& stream, const std::string& user,
                             const std::optional<std::string>& password, PgAuthStart auth,
                             std::chrono::milliseconds timeout) {
  std::unique_ptr<PgAuth> session;
  for (bool first = true;; first = false) {
    unsigned char head[5];
    error_code ec;
    if (!read_exact(stream, head, sizeof head, ec))
      return {false, "no response: " + io_failure(ec, timeout, "startup")};
    const char type = static_cast<char>(head[0]);
    const std::uint32_t length = read_be32(head + 1);
    const bool known = std::string_view("ERNSKZv").find(type) != std::string_view::npos;
    if (!known || length < 4 || length > kMaxMessage) {
      const std::string_view seen(reinterpret_cast<const char*>(head), sizeof head);
      return {false, first ? fmt::format("not a PostgreSQL server (it answered '{}')",
                                         printable_start(seen))
                           : fmt::format("a malformed '{}' message from the server",
                                         printable_start(seen.substr(0, 1)))};
    }
    std::string payload(length - 4, '\0');
    if (!read_exact(stream, payload.data(), payload.size(), ec))
      return {false, "no response: " + io_failure(ec, timeout, "startup")};
    switch (type) {
      case 'E':
        return judge(parse_error(payload), password.has_value());
      case 'R': {
        if (payload.size() < 4) return {false, "a malformed authentication request"};
        const std::uint32_t code = read_be32(payload.data());
        if (code == 0) continue;  // AuthenticationOk: a backend starts; wait for Z or E
        if (!password || auth == nullptr)
          return {true, fmt::format("accepting connections ({} needs a password; none given, "
                                    "so no login was tried)",
                                    user)};
        if (!session) session = auth(user, *password);
        std::string error;
        const auto reply = session->answer(code, std::string_view(payload).substr(4), error);
        if (!reply)
          return {false, fmt::format("accepting connections, but login failed: {}", error)};
        if (!reply->empty() && !write_all(stream, message('p', *reply), ec))
          return {false, io_failure(ec, timeout, "login")};
        continue;
      }
      case 'Z':
        // A backend is running for us: say goodbye so the server logs no broken connection.
        (void)write_all(stream, message('X', ""), ec);
        return {true, password ? fmt::format("accepting connections, logged in as {}", user)
                               : "accepting connections"};
      default:  // NoticeResponse, ParameterStatus, BackendKeyData, NegotiateProtocolVersion
        continue;
    }
  }
}

std::unique_ptr<Probe> make_postgres_probe(ConnInfo conn, TlsConnect tls, PgAuthStart auth) {
  return std::make_unique<PostgresProbe>(std::move(conn), tls, auth);
}

}  // namespace ballast::probe
