#pragma once
#include <string_view>

namespace visor {

/// True when `s` is well-formed UTF-8: no overlong forms, no surrogates,
/// nothing above U+10FFFF, no truncated sequences.
bool valid_utf8(std::string_view s);

}  // namespace visor
