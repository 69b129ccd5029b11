#pragma once
// QR codes as SVG (libqrencode): the labels printed for machines and the
// pairing codes shown to glasses.
#include <string>
#include <string_view>

namespace visor::api {

/// An SVG image of `text` as a QR code (error correction M, 4-module quiet
/// zone), drawn with one path so that it stays small and prints crisply.
/// `caption`, when given, is written under the code.
std::string qr_svg(std::string_view text, std::string_view caption = {});

}  // namespace visor::api
