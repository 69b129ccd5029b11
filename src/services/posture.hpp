#pragma once
// The security posture of a deployment, as `visor doctor` and
// GET /api/v1/admin/security report it: facts gathered from the running
// configuration (app/doctor.cpp) judged here, without I/O, into findings —
// each with what to do. Decision 0020.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>

#include "util/transport.hpp"

namespace visor::services {

using visor::Transport;

/// What doctor knows of a deployment.
struct PostureFacts {
  // The listener.
  bool tls = false;             // Visor serves HTTPS itself
  bool trusted_proxy = false;   // a reverse proxy's X-Forwarded-Proto is believed
  bool loopback_only = true;    // listens on a loopback address only
  // The secret key (app/keys.hpp).
  std::string key_source;              // "the key file /etc/visor/secret.key", …
  bool key_in_data_dir = false;        // <data_dir>/secret.key: copied with the data
  std::optional<unsigned> key_file_mode;  // permission bits, when the key is a file
  std::string key_problem;             // why the key does not open (empty: it does)
  // Stored files.
  std::string media_protection;   // "xchacha20poly1305-secretstream", "none"
  std::uint64_t media_plain_files = 0;  // stored before encryption, not migrated yet
  std::string media_problem;      // the media keys do not open (empty: they do)
  // The disk under the data directory: "dm-crypt", "fscrypt" or empty
  // when neither was found.
  std::string data_volume_encryption;
  // The database.
  std::string db_backend;  // "sqlite", "postgresql"
  Transport db_transport = Transport::local;
  // The CMMS connection (empty url: none configured).
  std::string cmms_url;
  bool cmms_verify_tls = true;
  // Accounts of the demo plant (`serve --demo`) still active.
  std::vector<std::string> demo_logins;
};

enum class Level { ok, warn, fail };
std::string_view to_string(Level level);

struct Finding {
  std::string check;    // stable id: "listener.tls", "key.location", …
  Level level = Level::ok;
  std::string summary;  // what is so
  std::string action;   // what to do (empty when ok)
};

/// Every check, in a fixed order.
std::vector<Finding> assess(const PostureFacts& facts);

/// The worst level among `findings` (ok for none).
Level worst(const std::vector<Finding>& findings);

/// [{"check","level","summary","action"}…]
boost::json::array to_json(const std::vector<Finding>& findings);

}  // namespace visor::services
