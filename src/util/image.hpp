#pragma once
// Photo checks and metadata stripping. Technicians' photos can carry the
// phone's GPS position and more in EXIF/XMP; Visor keeps the pixels and drops
// every metadata block it can identify, so nothing about where or with what a
// photo was taken leaves the plant.
#include <optional>
#include <string>
#include <string_view>

namespace visor::image {

enum class Format { jpeg, png, webp };

/// The format of `bytes` from its signature, if it is one Visor accepts.
std::optional<Format> sniff(std::string_view bytes);
std::string_view content_type(Format f);
std::string_view extension(Format f);

/// A copy of `bytes` without metadata: JPEG APP1 (EXIF, XMP), APP13 (IPTC)
/// and COM segments; PNG eXIf, tEXt, zTXt, iTXt and tIME chunks; WebP EXIF
/// and XMP chunks (with the VP8X flags and RIFF size fixed). Throws
/// Error(invalid_input) when the structure is broken.
std::string strip_metadata(std::string_view bytes, Format f);

}  // namespace visor::image
