#pragma once
// A response body produced while it is sent, a part at a time: files too
// large to hold in memory (photos, documents), decrypted as they go out.
//
// A handler sets `Response::body_source`. The session sends the headers
// with `Content-Length: size()`, then asks for parts and writes each before
// asking for the next, so a response holds one part in memory whatever its
// size. When next() throws (stored bytes that fail verification, a disk
// error), the session closes the connection without completing the body:
// the client sees a response cut short — an error under Content-Length
// framing — never a whole one; the failure is logged with the request id.
// Handlers should read the first part before answering (see prime() below)
// so that most failures still become a proper error response.
#include <cstdint>
#include <string>

namespace visor::http {

class BodySource {
 public:
  virtual ~BodySource() = default;
  /// The exact number of bytes of the body.
  virtual std::uint64_t size() const = 0;
  /// Appends the next part of the body to `out`: at most `max` bytes, at
  /// least one while any remain. May do bounded blocking work (one file
  /// read, one chunk's decryption); called on the session's thread between
  /// two writes. Throws when the body cannot be completed.
  virtual void next(std::string& out, std::size_t max) = 0;
};

}  // namespace visor::http
