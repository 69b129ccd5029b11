#include "sync/errors.hpp"

namespace visor::sync {

CmmsError::CmmsError(Kind kind, bool retryable, std::string message, std::string admin_message)
    : std::runtime_error(std::move(message)),
      kind_(kind),
      retryable_(retryable),
      admin_message_(admin_message.empty() ? std::string(what()) : std::move(admin_message)) {}

std::string_view to_string(CmmsError::Kind kind) {
  switch (kind) {
    case CmmsError::Kind::auth: return "auth";
    case CmmsError::Kind::access: return "access";
    case CmmsError::Kind::validation: return "validation";
    case CmmsError::Kind::missing: return "missing";
    case CmmsError::Kind::server: return "server";
    case CmmsError::Kind::transport: return "transport";
    case CmmsError::Kind::protocol: return "protocol";
    case CmmsError::Kind::mapping: return "mapping";
    case CmmsError::Kind::config: return "config";
  }
  return "unknown";
}

}  // namespace visor::sync
