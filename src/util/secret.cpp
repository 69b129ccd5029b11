#include "util/secret.hpp"

#include <sodium.h>

namespace visor {

Secret::~Secret() {
  if (!value_.empty()) sodium_memzero(value_.data(), value_.size());
}

}  // namespace visor
