#include "auth/sodium.hpp"

#include <sodium.h>

#include "util/error.hpp"

namespace visor::auth {

void ensure_sodium() {
  // sodium_init() returns 0 on first success, 1 when already initialised.
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw Error(ErrorCode::internal, "Cryptography is unavailable.", "sodium_init failed");
}

}  // namespace visor::auth
