#pragma once
// Settings stored sealed with the SecretBox. By convention their keys end in
// ".secret" (e.g. "cmms.secret"); "visor.key_check" holds a known value
// sealed under the current key, so that a wrong key is noticed at start even
// before any secret is set.
#include <string>
#include <vector>

#include "auth/secret_box.hpp"
#include "storage/store.hpp"

namespace visor::auth {

inline constexpr std::string_view kKeyCheckSetting = "visor.key_check";

/// True for the keys of sealed settings.
bool is_sealed_setting(std::string_view key);

/// The sealed settings that `box` cannot open (empty: the key is right).
std::vector<std::string> undecryptable_settings(storage::Tx& tx, const SecretBox& box);

/// Stores the key check value when there is none and every sealed setting
/// opens with `box`.
void ensure_key_check(storage::Tx& tx, const SecretBox& box);

/// Re-seals every sealed setting (and the check value) from `from` to `to`;
/// returns how many. Error(invalid_input) naming the first that `from`
/// cannot open (nothing is changed: the caller's transaction rolls back).
int reseal_settings(storage::Tx& tx, const SecretBox& from, const SecretBox& to);

}  // namespace visor::auth
