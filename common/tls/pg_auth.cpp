#include "common/tls/pg_auth.hpp"

#include <fmt/format.h>
#include <mbedtls/base64.h>
#include <mbedtls/md.h>
#include <sys/random.h>

#include <array>
#include <charconv>
#include <cstring>
#include <vector>

#include "common/net/stream_io.hpp"
#include "common/text.hpp"

// The client side of PostgreSQL's password methods, written here because the only library that
// speaks them is libpq, and libpq with its OpenSSL would be most of healthcheck's 2.5 MiB
// budget for three small exchanges. The hashing itself is mbedTLS's (HMAC, SHA-256, MD5,
// PBKDF2 as RFC 5802's Hi() is defined over HMAC); only the message layout is ours.
namespace ballast {
namespace {

using Bytes = std::vector<unsigned char>;
constexpr std::size_t kSha256 = 32;
// RFC 5802 Hi() iterations: PostgreSQL's default is 4096; a server demanding absurdly many
// would turn every probe into a CPU burn, so the client refuses past this (libpq has no cap).
constexpr unsigned long kMaxIterations = 1'000'000;

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  std::size_t n = 0;
  mbedtls_base64_encode(reinterpret_cast<unsigned char*>(out.data()), out.size(), &n, data, size);
  out.resize(n);
  return out;
}

std::optional<Bytes> unbase64(std::string_view text) {
  Bytes out(text.size());
  std::size_t n = 0;
  if (mbedtls_base64_decode(out.data(), out.size(), &n,
                            reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 0)
    return std::nullopt;
  out.resize(n);
  return out;
}

std::array<unsigned char, kSha256> hmac(const unsigned char* key, std::size_t key_size,
                                        std::string_view data) {
  std::array<unsigned char, kSha256> out{};
  mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key, key_size,
                  reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}

std::array<unsigned char, kSha256> sha256(const unsigned char* data, std::size_t size) {
  std::array<unsigned char, kSha256> out{};
  mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), data, size, out.data());
  return out;
}

// RFC 5802's Hi(): PBKDF2 with HMAC-SHA-256, one block.
std::array<unsigned char, kSha256> salted_password(const std::string& password, const Bytes& salt,
                                                   unsigned long iterations) {
  std::string first(salt.begin(), salt.end());
  first.append("\0\0\0\1", 4);
  const auto* key = reinterpret_cast<const unsigned char*>(password.data());
  auto u = hmac(key, password.size(), first);
  auto result = u;
  for (unsigned long i = 1; i < iterations; ++i) {
    u = hmac(key, password.size(),
             std::string_view(reinterpret_cast<const char*>(u.data()), u.size()));
    for (std::size_t k = 0; k < kSha256; ++k) result[k] ^= u[k];
  }
  return result;
}

std::string hex_md5(std::string_view data) {
  unsigned char digest[16];
  mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_MD5),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string out;
  for (const unsigned char b : digest) out += fmt::format("{:02x}", b);
  return out;
}

// One attribute ("r=...") of a SCRAM message, or nullopt.
std::optional<std::string_view> attribute(std::string_view message, char name) {
  for (std::string_view rest = message; !rest.empty();) {
    const auto comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    if (part.size() >= 2 && part[0] == name && part[1] == '=') return part.substr(2);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

class PasswordAuth final : public PgAuth {
 public:
  PasswordAuth(std::string user, std::string password)
      : user_(std::move(user)), password_(std::move(password)) {}

  std::optional<std::string> answer(std::uint32_t code, std::string_view data,
                                    std::string& error) override {
    switch (code) {
      case 3:  // cleartext
        return password_ + '\0';
      case 5:  // MD5: "md5" + md5(md5(password + user) + salt)
        if (data.size() != 4) return fail(error, "a malformed MD5 request");
        return "md5" + hex_md5(hex_md5(password_ + user_) + std::string(data)) + '\0';
      case 10:
        return sasl_start(data, error);
      case 11:
        return sasl_continue(data, error);
      case 12:
        return sasl_final(data, error);
      case 2:
        return fail(error, "the server wants Kerberos V5, which healthcheck does not speak");
      case 7:
      case 8:
        return fail(error, "the server wants GSSAPI, which healthcheck does not speak");
      case 9:
        return fail(error, "the server wants SSPI, which healthcheck does not speak");
      default:
        return fail(error, fmt::format("the server asks for authentication method {}, which "
                                       "healthcheck does not know",
                                       code));
    }
  }

 private:
  static std::optional<std::string> fail(std::string& error, std::string why) {
    error = std::move(why);
    return std::nullopt;
  }

  std::optional<std::string> sasl_start(std::string_view mechanisms, std::string& error) {
    bool scram = false;
    std::string offered;
    for (std::string_view rest = mechanisms; !rest.empty() && rest.front() != '\0';) {
      const auto nul = rest.find('\0');
      const std::string_view m = rest.substr(0, nul);
      scram = scram || m == "SCRAM-SHA-256";
      offered += offered.empty() ? "" : ", ";
      offered += m;
      if (nul == std::string_view::npos) break;
      rest.remove_prefix(nul + 1);
    }
    if (!scram)
      return fail(error,
                  fmt::format("the server offers SASL {}, not SCRAM-SHA-256", shown(offered, 100)));
    unsigned char random[18];
    if (::getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
      return fail(error, "no random bytes for the SCRAM nonce");
    nonce_ = base64(random, sizeof random);
    // The user name travels in the startup message; PostgreSQL ignores SCRAM's (RFC 5802 n=).
    client_first_bare_ = "n=,r=" + nonce_;
    const std::string first = "n,," + client_first_bare_;
    std::string out = "SCRAM-SHA-256";
    out += '\0';
    append_be32(out, static_cast<std::uint32_t>(first.size()));
    return out + first;
  }

  std::optional<std::string> sasl_continue(std::string_view server_first, std::string& error) {
    const auto r = attribute(server_first, 'r');
    const auto s = attribute(server_first, 's');
    const auto i = attribute(server_first, 'i');
    if (nonce_.empty() || !r || !s || !i || !r->starts_with(nonce_) || r->size() == nonce_.size())
      return fail(error, "a malformed SCRAM challenge");
    unsigned long iterations = 0;
    const auto [end, ec] = std::from_chars(i->data(), i->data() + i->size(), iterations);
    if (ec != std::errc() || end != i->data() + i->size() || iterations == 0 ||
        iterations > kMaxIterations)
      return fail(error, fmt::format("a SCRAM iteration count of '{}' (at most {})", shown(*i, 20),
                                     kMaxIterations));
    const auto salt = unbase64(*s);
    if (!salt) return fail(error, "a SCRAM salt that is not base64");
    // SASLprep is not applied: an ASCII password is its own SASLprep form, and PostgreSQL
    // itself falls back to the raw bytes for any password SASLprep rejects.
    const auto salted = salted_password(password_, *salt, iterations);
    const auto client_key = hmac(salted.data(), salted.size(), "Client Key");
    const auto stored_key = sha256(client_key.data(), client_key.size());
    const std::string without_proof = "c=biws,r=" + std::string(*r);
    const std::string auth_message =
        client_first_bare_ + "," + std::string(server_first) + "," + without_proof;
    const auto signature = hmac(stored_key.data(), stored_key.size(), auth_message);
    std::array<unsigned char, kSha256> proof{};
    for (std::size_t k = 0; k < kSha256; ++k) proof[k] = client_key[k] ^ signature[k];
    const auto server_key = hmac(salted.data(), salted.size(), "Server Key");
    const auto server_signature = hmac(server_key.data(), server_key.size(), auth_message);
    expected_ = base64(server_signature.data(), server_signature.size());
    return without_proof + ",p=" + base64(proof.data(), proof.size());
  }

  std::optional<std::string> sasl_final(std::string_view server_final, std::string& error) {
    if (const auto e = attribute(server_final, 'e'))
      return fail(error, fmt::format("SCRAM failed: {}", shown(*e, 100)));
    const auto v = attribute(server_final, 'v');
    if (expected_.empty() || !v || *v != expected_)
      return fail(error,
                  "the server's SCRAM signature does not match: it does not know the "
                  "password (an impostor?)");
    return std::string();
  }

  std::string user_;
  std::string password_;
  std::string nonce_;
  std::string client_first_bare_;
  std::string expected_;
};

}  // namespace

std::unique_ptr<PgAuth> start_pg_auth(const std::string& user, const std::string& password) {
  return std::make_unique<PasswordAuth>(user, password);
}

}  // namespace ballast
