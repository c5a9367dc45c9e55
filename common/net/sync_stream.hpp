#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <cstddef>

namespace ballast {

// Turns a class with byte-level `read(void*, size, ec)` and `write(const void*, size, ec)`
// into a Beast SyncReadStream/SyncWriteStream (read_some/write_some over buffer sequences).
// A read of 0 bytes without error is the peer closing: reported as asio::error::eof.
template <typename Derived>
class SyncStream {
 public:
  template <typename MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      const boost::asio::mutable_buffer b = *it;
      if (b.size() == 0) continue;
      const std::size_t n = self().read(b.data(), b.size(), ec);
      if (n == 0 && !ec) ec = boost::asio::error::eof;
      return n;
    }
    ec = {};
    return 0;
  }

  template <typename MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers) {
    boost::system::error_code ec;
    const std::size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

  // Small sequences (an HTTP request's header pieces) are gathered into one write, so the
  // request leaves in one segment instead of one per piece (no Nagle/delayed-ACK stalls).
  template <typename ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
    const std::size_t total = boost::asio::buffer_size(buffers);
    if (total > 0 && total <= kGather) {
      char gathered[kGather];
      boost::asio::buffer_copy(boost::asio::buffer(gathered), buffers);
      return self().write(gathered, total, ec);
    }
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      const boost::asio::const_buffer b = *it;
      if (b.size() == 0) continue;
      return self().write(b.data(), b.size(), ec);
    }
    ec = {};
    return 0;
  }

  template <typename ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers) {
    boost::system::error_code ec;
    const std::size_t n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

 private:
  static constexpr std::size_t kGather = 1024;
  Derived& self() { return static_cast<Derived&>(*this); }
};

}  // namespace ballast
