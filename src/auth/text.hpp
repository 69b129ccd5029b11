#pragma once
// Small text checks shared by the password policy and account validation.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace visor::auth {

/// Number of code points when `s` is well-formed UTF-8 (no overlongs, no
/// surrogates, nothing above U+10FFFF); nullopt otherwise.
std::optional<std::size_t> utf8_length(std::string_view s);

/// True when `s` contains a C0/C1 control character or DEL (assumes UTF-8).
bool has_control_chars(std::string_view s);

/// ASCII lowercase (logins are ASCII by policy).
std::string ascii_lower(std::string_view s);

/// `s` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);

}  // namespace visor::auth
