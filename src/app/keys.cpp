#include "app/keys.hpp"

#include <cstdlib>

#include "auth/sealed_settings.hpp"
#include "util/error.hpp"

namespace visor::app {
namespace fs = std::filesystem;

namespace {

constexpr const char* kCredentialName = "visor-secret-key";
constexpr const char* kKeyVariable = "VISOR_SECRET_KEY";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

std::string KeySource::describe() const {
  switch (kind) {
    case Kind::file: return "the key file " + path.string();
    case Kind::credential: return "the systemd credential " + path.string();
    case Kind::environment: return std::string("the environment variable ") + kKeyVariable;
    case Kind::data_dir: return "the key file " + path.string() + " in the data directory";
  }
  return "?";
}

KeySource key_source(const Config& config) {
  if (!config.key_file.empty()) return KeySource{KeySource::Kind::file, config.key_file};
  if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY"); dir && *dir) {
    const fs::path credential = fs::path(dir) / kCredentialName;
    std::error_code ec;
    if (fs::exists(credential, ec)) return KeySource{KeySource::Kind::credential, credential};
  }
  if (const char* value = std::getenv(kKeyVariable); value && *value) return KeySource{KeySource::Kind::environment, {}};
  return KeySource{KeySource::Kind::data_dir, auth::default_key_file(config.data_dir)};
}

auth::SecretBox open_secret_box(const KeySource& source) {
  switch (source.kind) {
    case KeySource::Kind::file:
    case KeySource::Kind::credential: return auth::SecretBox::open(source.path);
    case KeySource::Kind::environment: {
      const char* value = std::getenv(kKeyVariable);
      std::string text = value ? value : "";
      // Nothing started later (a shell for stty, a child) inherits it.
      ::unsetenv(kKeyVariable);
      try {
        return auth::SecretBox::from_base64(text);
      } catch (const Error& e) {
        invalid(std::string(kKeyVariable) + ": " + e.detail());
      }
    }
    case KeySource::Kind::data_dir: {
      std::error_code ec;
      fs::create_directories(source.path.parent_path(), ec);
      return auth::SecretBox::open_or_create(source.path);
    }
  }
  invalid("Unknown key source.");
}

std::string check_stored_secrets(storage::Store& store, const auth::SecretBox& box, const KeySource& source) {
  const auto failing = store.write_value([&](storage::Tx& tx) {
    auto out = auth::undecryptable_settings(tx, box);
    if (out.empty()) auth::ensure_key_check(tx, box);
    return out;
  });
  if (failing.empty()) return {};
  std::string message = "Visor cannot decrypt the stored secrets (" + join(failing) + ") with " + source.describe() +
                        ": they were sealed under another key. Give Visor the key they were sealed with (--key-file, "
                        "the systemd credential visor-secret-key, or VISOR_SECRET_KEY), or set the secrets again "
                        "(visor connector set).";
  if (source.is_file()) {
    std::error_code ec;
    const fs::path pending = source.path.string() + ".new";
    if (fs::exists(pending, ec))
      message += " A key rotation was interrupted: " + pending.string() + " holds the new key; move it over " +
                 source.path.string() + ".";
  }
  return message;
}

}  // namespace visor::app
