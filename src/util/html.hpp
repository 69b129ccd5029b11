#pragma once
#include <string>
#include <string_view>

namespace visor {

/// `s` with &, <, > and " replaced by entities: safe inside HTML/XML text and
/// double-quoted attributes.
std::string escape_html(std::string_view s);

}  // namespace visor
