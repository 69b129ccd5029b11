#pragma once
// How Visor's outbound connections are protected in transit, read from their
// URLs alone: the PostgreSQL URL and the CMMS base URL. Doctor
// (services/posture.hpp), `visor sync status`, the connector page and
// /metrics use it.
#include <optional>
#include <string>
#include <string_view>

namespace visor {

/// How a connection to a server is protected.
enum class Transport {
  local,       // no network: a SQLite file, a Unix socket, or loopback
  verified,    // TLS with the server's certificate and name checked
  unverified,  // TLS without checking who answers (sslmode=require, verify_tls=no)
  plain,       // no TLS across a network
};

/// How a libpq URL (postgresql://…) reaches its server: a Unix socket or
/// loopback host → local; sslmode=verify-full → verified; verify-ca,
/// require or prefer → unverified; otherwise (disable, allow, none) → plain.
Transport postgres_transport(std::string_view url);

/// How an HTTP(S) base URL with or without certificate checks reaches its
/// server (the CMMS): loopback → local whatever the scheme.
Transport http_transport(std::string_view url, bool verify_tls);

/// A warning for the CMMS connection shown by `visor sync status`, the
/// connector page and doctor; nullopt when it is verified TLS or loopback.
std::optional<std::string> cmms_transport_warning(std::string_view url, bool verify_tls);

}  // namespace visor
