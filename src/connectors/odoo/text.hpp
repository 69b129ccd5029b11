#pragma once
// Internal text helpers of the Odoo connector: UTF-8 and XML character
// checks, base64, and making untrusted text safe to put in an error message.
#include <optional>
#include <string>
#include <string_view>

namespace visor::odoo {

/// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code
/// points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// The first code point in valid UTF-8 `s` that XML 1.0 cannot carry at all
/// (controls other than tab/LF/CR, U+FFFE, U+FFFF), if any.
std::optional<char32_t> first_non_xml_char(std::string_view s);

/// At most `max` bytes of `s`, cut on a UTF-8 boundary, with "…" when cut.
std::string clip(std::string_view s, std::size_t max);

/// `s` with control characters and invalid UTF-8 bytes replaced by '?', for
/// quoting untrusted input in error messages.
std::string printable(std::string_view s);

/// Standard base64 (RFC 4648, with padding). Decoding skips ASCII whitespace
/// (XML-RPC senders wrap lines) and rejects anything else outside the
/// alphabet; returns nothing on malformed input.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace visor::odoo
