#include "common/tls/tls_stream.hpp"

#include <fmt/format.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>
#include <sys/stat.h>

#include <ctime>

#include <boost/asio/error.hpp>

#include "common/net/stream_io.hpp"
#include "common/net/url.hpp"

namespace ballast {

struct TlsStream::State {
  SocketStream* socket = nullptr;
  bool timed_out = false;
  std::string pending;  // records mbedTLS wrote, not yet sent (see send_cb)
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_x509_crt ca;
  mbedtls_x509_crt own_cert;
  mbedtls_pk_context own_key;
  mbedtls_ssl_config config;
  mbedtls_ssl_context ssl;

  State() {
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_x509_crt_init(&ca);
    mbedtls_x509_crt_init(&own_cert);
    mbedtls_pk_init(&own_key);
    mbedtls_ssl_config_init(&config);
    mbedtls_ssl_init(&ssl);
  }
  ~State() {
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&config);
    mbedtls_pk_free(&own_key);
    mbedtls_x509_crt_free(&own_cert);
    mbedtls_x509_crt_free(&ca);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
};

namespace {

constexpr const char* kSystemStore = "/etc/ssl/certs/ca-certificates.crt";

std::string mbedtls_message(int code) {
  char buf[200];
  mbedtls_strerror(code, buf, sizeof buf);
  return buf;
}

// Sends what mbedTLS wrote so far in one write; 0 or an mbedTLS error code.
int flush(TlsStream::State& s) {
  boost::system::error_code ec;
  if (write_all(*s.socket, s.pending, ec)) {
    s.pending.clear();
    return 0;
  }
  if (ec == boost::asio::error::timed_out) {
    s.timed_out = true;
    return MBEDTLS_ERR_SSL_TIMEOUT;
  }
  return MBEDTLS_ERR_NET_SEND_FAILED;
}

// mbedTLS's I/O callbacks over the socket with its deadline. Writes are gathered: a flight of
// handshake records (TLS 1.3's ChangeCipherSpec and Finished, TLS 1.2's key exchange, CCS and
// Finished) and the request that follows it leave in one segment, sent when mbedTLS next
// waits for the server (recv_cb) or the caller's write returns (TlsStream::write). With
// TCP_NODELAY, separate small sends would each be a packet, and each a chance for the peer's
// delayed ACK to stall the exchange.
int send_cb(void* ctx, const unsigned char* buf, size_t len) {
  static_cast<TlsStream::State*>(ctx)->pending.append(reinterpret_cast<const char*>(buf), len);
  return static_cast<int>(len);
}

int recv_cb(void* ctx, unsigned char* buf, size_t len) {
  auto* s = static_cast<TlsStream::State*>(ctx);
  if (!s->pending.empty())
    if (const int rc = flush(*s); rc != 0) return rc;
  boost::system::error_code ec;
  const std::size_t n = s->socket->read(buf, len, ec);
  if (ec == boost::asio::error::timed_out) {
    s->timed_out = true;
    return MBEDTLS_ERR_SSL_TIMEOUT;
  }
  if (ec) return MBEDTLS_ERR_NET_RECV_FAILED;
  return static_cast<int>(n);
}

}  // namespace

TlsStream::TlsStream(std::unique_ptr<State> state) : state_(std::move(state)) {}
TlsStream::~TlsStream() = default;

namespace {

// --cert/--key: the client certificate for servers that ask for one (mutual TLS).
bool load_client_certificate(TlsStream::State& st, const TlsSettings& s, std::string& error) {
  const std::string& key = s.key_file.empty() ? s.cert_file : s.key_file;
  if (int rc = mbedtls_x509_crt_parse_file(&st.own_cert, s.cert_file.c_str()); rc != 0) {
    error = fmt::format("cannot load --cert {}: {}", s.cert_file, mbedtls_message(rc));
    return false;
  }
  if (int rc = mbedtls_pk_parse_keyfile(&st.own_key, key.c_str(), nullptr, mbedtls_ctr_drbg_random,
                                        &st.drbg);
      rc != 0) {
    error = fmt::format("cannot load the private key from {}: {} (an unencrypted PEM key)", key,
                        mbedtls_message(rc));
    return false;
  }
  if (int rc = mbedtls_ssl_conf_own_cert(&st.config, &st.own_cert, &st.own_key); rc != 0) {
    error = fmt::format("cannot use --cert {}: {}", s.cert_file, mbedtls_message(rc));
    return false;
  }
  return true;
}

// --cert-min-days: "" when the server's certificate stays valid long enough, else why not.
std::string check_expiry(const mbedtls_x509_crt* peer, int min_days) {
  if (peer == nullptr) return "the server presented no certificate";
  const mbedtls_x509_time& t = peer->valid_to;
  std::tm tm{};
  tm.tm_year = t.year - 1900;
  tm.tm_mon = t.mon - 1;
  tm.tm_mday = t.day;
  tm.tm_hour = t.hour;
  tm.tm_min = t.min;
  tm.tm_sec = t.sec;
  const std::time_t expires = ::timegm(&tm);
  const std::time_t now = std::time(nullptr);
  const auto left = static_cast<long long>(expires) - static_cast<long long>(now);
  if (left >= static_cast<long long>(min_days) * 86400) return "";
  const std::string when =
      fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", t.year, t.mon, t.day, t.hour, t.min);
  if (left < 0) return fmt::format("the certificate expired on {}: renew it", when);
  const long long days = (left + 43200) / 86400;  // to the nearest day
  return fmt::format("the certificate expires on {}, in {} day{} (--cert-min-days {}): renew it",
                     when, days, days == 1 ? "" : "s", min_days);
}

}  // namespace

std::unique_ptr<ByteStream> TlsStream::connect(SocketStream& socket, const TlsOptions& options,
                                               std::string& error) {
  // TLS 1.3 (and, in mbedTLS 3.6, part of TLS 1.2) runs its crypto through PSA, which must be
  // set up once per process; later calls return at once.
  if (const psa_status_t ps = psa_crypto_init(); ps != PSA_SUCCESS) {
    error = fmt::format("TLS crypto setup failed (PSA status {})", ps);
    return nullptr;
  }
  auto st = std::make_unique<State>();
  st->socket = &socket;
  static constexpr unsigned char kPersonalization[] = "ballast-healthcheck";
  if (int rc = mbedtls_ctr_drbg_seed(&st->drbg, mbedtls_entropy_func, &st->entropy,
                                     kPersonalization, sizeof kPersonalization - 1);
      rc != 0) {
    error = "TLS random generator: " + mbedtls_message(rc);
    return nullptr;
  }
  if (!options.settings.insecure) {
    const std::string ca =
        options.settings.ca_file.empty() ? kSystemStore : options.settings.ca_file;
    struct stat sb {};
    if (::stat(ca.c_str(), &sb) != 0) {
      error =
          options.settings.ca_file.empty()
              ? fmt::format(
                    "no CA certificates at {} in this image: pass --cacert FILE (or --insecure)",
                    ca)
              : fmt::format("cannot read --cacert {}", ca);
      return nullptr;
    }
    // A folder of certificates (c_rehash style, as --capath in curl) or one bundle file;
    // anything else (a FIFO would block the read forever) is refused before it is opened.
    int rc = 0;
    if (S_ISDIR(sb.st_mode)) {
      rc = mbedtls_x509_crt_parse_path(&st->ca, ca.c_str());
    } else if (S_ISREG(sb.st_mode)) {
      rc = mbedtls_x509_crt_parse_file(&st->ca, ca.c_str());
    } else {
      error = fmt::format("--cacert {}: not a file or a folder of certificates", ca);
      return nullptr;
    }
    if (rc < 0 || (rc > 0 && st->ca.version == 0)) {
      // An Ed25519 (or Ed448) CA: mbedTLS reads no EdDSA certificate at all.
      const bool eddsa = rc == MBEDTLS_ERR_X509_UNKNOWN_SIG_ALG + MBEDTLS_ERR_OID_NOT_FOUND ||
                         rc == MBEDTLS_ERR_X509_UNKNOWN_SIG_ALG ||
                         rc == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG + MBEDTLS_ERR_X509_INVALID_ALG;
      error =
          rc < 0 ? fmt::format("cannot load CA certificates from {}: {}{}", ca, mbedtls_message(rc),
                               eddsa ? " (an Ed25519 certificate? healthcheck's TLS verifies "
                                       "ECDSA and RSA certificates only)"
                                     : "")
                 : fmt::format("no usable CA certificate in {}", ca);
      return nullptr;
    }
  }
  if (int rc =
          mbedtls_ssl_config_defaults(&st->config, MBEDTLS_SSL_IS_CLIENT,
                                      MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
      rc != 0) {
    error = "TLS configuration: " + mbedtls_message(rc);
    return nullptr;
  }
  mbedtls_ssl_conf_authmode(&st->config, options.settings.insecure ? MBEDTLS_SSL_VERIFY_NONE
                                                                   : MBEDTLS_SSL_VERIFY_REQUIRED);
  mbedtls_ssl_conf_ca_chain(&st->config, &st->ca, nullptr);
  mbedtls_ssl_conf_rng(&st->config, mbedtls_ctr_drbg_random, &st->drbg);
  mbedtls_ssl_conf_min_tls_version(&st->config, MBEDTLS_SSL_VERSION_TLS1_2);
  if (!options.settings.cert_file.empty() && !load_client_certificate(*st, options.settings, error))
    return nullptr;
  static const char* kH2[] = {"h2", nullptr};
  if (options.h2) mbedtls_ssl_conf_alpn_protocols(&st->config, kH2);
  if (int rc = mbedtls_ssl_setup(&st->ssl, &st->config); rc != 0) {
    error = "TLS setup: " + mbedtls_message(rc);
    return nullptr;
  }
  // SNI always; name verification only for names (mbedTLS 2.28 cannot match IP addresses).
  if (int rc = mbedtls_ssl_set_hostname(
          &st->ssl, is_ip_literal(options.server_name) ? nullptr : options.server_name.c_str());
      rc != 0) {
    error = "TLS server name: " + mbedtls_message(rc);
    return nullptr;
  }
  mbedtls_ssl_set_bio(&st->ssl, st.get(), send_cb, recv_cb, nullptr);
  for (;;) {
    const int rc = mbedtls_ssl_handshake(&st->ssl);
    if (rc == 0) break;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
    if (st->timed_out) {
      error = "no TLS handshake before the deadline";
    } else if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
      char info[512];
      mbedtls_x509_crt_verify_info(info, sizeof info, "", mbedtls_ssl_get_verify_result(&st->ssl));
      std::string why = info;
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      for (auto& c : why)
        if (c == '\n') c = ';';
      // One hint for the common causes, most specific first.
      const std::uint32_t flags = mbedtls_ssl_get_verify_result(&st->ssl);
      const char* hint = "pass --cacert FILE or DIR, or --insecure";
      if ((flags & MBEDTLS_X509_BADCERT_EXPIRED) != 0)
        hint = "the certificate has expired: renew it";
      else if ((flags & MBEDTLS_X509_BADCERT_FUTURE) != 0)
        hint = "the certificate is not valid yet: check the clocks";
      else if ((flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) != 0)
        hint = "the certificate is for another name: probe the name it was issued for";
      else if ((flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) != 0)
        hint = "signed by a CA not trusted here: pass --cacert FILE or DIR";
      error = fmt::format("certificate verify failed: {} ({})", why, hint);
    } else if (rc == MBEDTLS_ERR_SSL_INVALID_RECORD || rc == MBEDTLS_ERR_SSL_DECODE_ERROR) {
      error =
          "TLS handshake failed: the server did not answer in TLS (a port without TLS? use "
          "http://, grpc:// or redis://)";
    } else if (rc == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE) {
      error =
          "TLS handshake failed: the server refused it with an alert (it shares no TLS version, "
          "cipher or signature algorithm with healthcheck, which speaks TLS 1.2 and 1.3 with "
          "ECDSA and RSA certificates but not Ed25519; or it wants a client certificate: "
          "--cert)";
    } else {
      error = "TLS handshake failed: " + mbedtls_message(rc);
    }
    return nullptr;
  }
  if (options.settings.min_days >= 0) {
    error = check_expiry(mbedtls_ssl_get_peer_cert(&st->ssl), options.settings.min_days);
    if (!error.empty()) return nullptr;
  }
  return std::unique_ptr<ByteStream>(new TlsStream(std::move(st)));
}

std::size_t TlsStream::read(void* data, std::size_t size, boost::system::error_code& ec) {
  for (;;) {
    const int rc = mbedtls_ssl_read(&state_->ssl, static_cast<unsigned char*>(data), size);
    if (rc >= 0) {
      ec = {};
      return static_cast<std::size_t>(rc);
    }
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
    if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
      ec = {};
      return 0;
    }
    ec = state_->timed_out ? boost::system::error_code(boost::asio::error::timed_out)
                           : boost::system::error_code(boost::asio::error::connection_aborted);
    return 0;
  }
}

std::size_t TlsStream::write(const void* data, std::size_t size, boost::system::error_code& ec) {
  for (;;) {
    const int rc = mbedtls_ssl_write(&state_->ssl, static_cast<const unsigned char*>(data), size);
    if (rc >= 0) {
      if (flush(*state_) != 0) {
        ec = state_->timed_out ? boost::system::error_code(boost::asio::error::timed_out)
                               : boost::system::error_code(boost::asio::error::connection_aborted);
        return 0;
      }
      ec = {};
      return static_cast<std::size_t>(rc);
    }
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) continue;
    ec = state_->timed_out ? boost::system::error_code(boost::asio::error::timed_out)
                           : boost::system::error_code(boost::asio::error::connection_aborted);
    return 0;
  }
}

}  // namespace ballast
