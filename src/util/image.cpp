#include "util/image.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "util/error.hpp"

namespace visor::image {
namespace {

std::uint32_t be32(std::string_view s, std::size_t at) {
  return std::uint32_t(std::uint8_t(s[at])) << 24 | std::uint32_t(std::uint8_t(s[at + 1])) << 16 |
         std::uint32_t(std::uint8_t(s[at + 2])) << 8 | std::uint32_t(std::uint8_t(s[at + 3]));
}

std::uint32_t le32(std::string_view s, std::size_t at) {
  return std::uint32_t(std::uint8_t(s[at])) | std::uint32_t(std::uint8_t(s[at + 1])) << 8 |
         std::uint32_t(std::uint8_t(s[at + 2])) << 16 | std::uint32_t(std::uint8_t(s[at + 3])) << 24;
}

void put_le32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + std::size_t(i)] = char((v >> (8 * i)) & 0xFF);
}

[[noreturn]] void broken(std::string_view what) { invalid("The photo is not a valid " + std::string(what) + " file."); }

std::string strip_jpeg(std::string_view in) {
  std::string out = "\xFF\xD8";
  std::size_t i = 2;
  while (i + 4 <= in.size()) {
    if (std::uint8_t(in[i]) != 0xFF) broken("JPEG");
    const std::uint8_t marker = std::uint8_t(in[i + 1]);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0xD9 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {  // no length
      out.append(in.substr(i, 2));
      i += 2;
      continue;
    }
    const std::size_t length = std::size_t(std::uint8_t(in[i + 2])) << 8 | std::uint8_t(in[i + 3]);
    if (length < 2 || i + 2 + length > in.size()) broken("JPEG");
    const bool metadata = marker == 0xE1 || marker == 0xED || marker == 0xFE;
    if (!metadata) out.append(in.substr(i, 2 + length));
    i += 2 + length;
    if (marker == 0xDA) {  // start of scan: the entropy-coded data follows to the end
      out.append(in.substr(i));
      return out;
    }
  }
  broken("JPEG");
}

std::string strip_png(std::string_view in) {
  static constexpr std::array<std::string_view, 5> kDrop{"eXIf", "tEXt", "zTXt", "iTXt", "tIME"};
  std::string out(in.substr(0, 8));
  std::size_t i = 8;
  bool ended = false;
  while (i + 12 <= in.size()) {
    const std::size_t length = be32(in, i);
    if (length > in.size() - i - 12) broken("PNG");
    const std::string_view type = in.substr(i + 4, 4);
    bool drop = false;
    for (std::string_view d : kDrop) drop = drop || type == d;
    if (!drop) out.append(in.substr(i, 12 + length));
    i += 12 + length;
    if (type == "IEND") {
      ended = true;
      break;
    }
  }
  if (!ended) broken("PNG");
  return out;
}

std::string strip_webp(std::string_view in) {
  if (in.size() < 12) broken("WebP");
  std::string out(in.substr(0, 12));
  std::size_t i = 12;
  std::size_t vp8x_at = std::string::npos;
  while (i + 8 <= in.size()) {
    const std::string_view type = in.substr(i, 4);
    const std::size_t length = le32(in, i + 4);
    const std::size_t padded = length + (length & 1);
    if (padded > in.size() - i - 8) broken("WebP");
    if (type != "EXIF" && type != "XMP ") {
      if (type == "VP8X") vp8x_at = out.size();
      out.append(in.substr(i, 8 + padded));
    }
    i += 8 + padded;
  }
  if (i != in.size()) broken("WebP");
  if (vp8x_at != std::string::npos && vp8x_at + 8 < out.size()) {
    out[vp8x_at + 8] = char(std::uint8_t(out[vp8x_at + 8]) & ~0x0C);  // clear EXIF (0x08) and XMP (0x04) flags
  }
  put_le32(out, 4, std::uint32_t(out.size() - 8));
  return out;
}

}  // namespace

std::optional<Format> sniff(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return Format::jpeg;
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return Format::png;
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return Format::webp;
  return std::nullopt;
}

std::string_view content_type(Format f) {
  switch (f) {
    case Format::jpeg: return "image/jpeg";
    case Format::png: return "image/png";
    case Format::webp: return "image/webp";
  }
  return "application/octet-stream";
}

std::string_view extension(Format f) {
  switch (f) {
    case Format::jpeg: return "jpg";
    case Format::png: return "png";
    case Format::webp: return "webp";
  }
  return "bin";
}

std::string strip_metadata(std::string_view bytes, Format f) {
  switch (f) {
    case Format::jpeg: return strip_jpeg(bytes);
    case Format::png: return strip_png(bytes);
    case Format::webp: return strip_webp(bytes);
  }
  broken("image");
}

}  // namespace visor::image
