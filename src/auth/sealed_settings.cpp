#include "auth/sealed_settings.hpp"

#include "util/error.hpp"

namespace visor::auth {
namespace {

constexpr std::string_view kKeyCheckValue = "visor key check v1";

bool opens(const SecretBox& box, std::string_view sealed) {
  try {
    (void)box.decrypt(sealed);
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

bool is_sealed_setting(std::string_view key) { return key.ends_with(".secret") || key == kKeyCheckSetting; }

std::vector<std::string> undecryptable_settings(storage::Tx& tx, const SecretBox& box) {
  std::vector<std::string> out;
  for (const auto& [key, value] : tx.settings().all())
    if (is_sealed_setting(key) && !opens(box, value)) out.push_back(key);
  return out;
}

void ensure_key_check(storage::Tx& tx, const SecretBox& box) {
  if (tx.settings().get(kKeyCheckSetting)) return;
  if (!undecryptable_settings(tx, box).empty()) return;
  tx.settings().put(kKeyCheckSetting, box.encrypt(Secret(std::string(kKeyCheckValue))));
}

int reseal_settings(storage::Tx& tx, const SecretBox& from, const SecretBox& to) {
  int count = 0;
  for (const auto& [key, value] : tx.settings().all()) {
    if (!is_sealed_setting(key)) continue;
    Secret plain;
    try {
      plain = from.decrypt(value);
    } catch (const Error&) {
      invalid("The stored secret '" + key + "' does not open with the current key: nothing was changed.");
    }
    tx.settings().put(key, to.encrypt(plain));
    ++count;
  }
  if (!tx.settings().get(kKeyCheckSetting)) {
    tx.settings().put(kKeyCheckSetting, to.encrypt(Secret(std::string(kKeyCheckValue))));
  }
  return count;
}

}  // namespace visor::auth
