#include "util/image.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"

using namespace visor;

namespace {

std::string be32(std::uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}
std::string le32(std::uint32_t v) {
  return {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
}
std::string segment(unsigned char marker, const std::string& payload) {
  const std::size_t len = payload.size() + 2;
  return std::string{'\xFF', char(marker), char(len >> 8), char(len & 0xFF)} + payload;
}
std::string png_chunk(const std::string& type, const std::string& data) {
  return be32(std::uint32_t(data.size())) + type + data + "CRC!";
}
std::string riff_chunk(const std::string& type, const std::string& data) {
  std::string c = type + le32(std::uint32_t(data.size())) + data;
  if (data.size() % 2) c.push_back('\0');
  return c;
}

}  // namespace

TEST(Image, SniffsAcceptedFormatsOnly) {
  EXPECT_EQ(image::sniff("\xFF\xD8\xFF\xE0"), image::Format::jpeg);
  EXPECT_EQ(image::sniff(std::string("\x89PNG\r\n\x1a\n", 8) + "rest"), image::Format::png);
  EXPECT_EQ(image::sniff(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)), image::Format::webp);
  EXPECT_FALSE(image::sniff("GIF89a"));
  EXPECT_FALSE(image::sniff("<svg"));
  EXPECT_FALSE(image::sniff(""));
}

TEST(Image, JpegLosesExifXmpAndCommentsButKeepsPixels) {
  const std::string exif = segment(0xE1, "Exif\0\0GPS-lat=48.85 lon=2.35");
  const std::string jfif = segment(0xE0, "JFIF\0\1\1");
  const std::string comment = segment(0xFE, "shot on a phone");
  const std::string quant = segment(0xDB, std::string(65, 'q'));
  const std::string scan = segment(0xDA, std::string(10, 's')) + "entropy-coded-pixels\xFF\xD9";
  const std::string in = std::string("\xFF\xD8") + jfif + exif + comment + quant + scan;
  const std::string out = image::strip_metadata(in, image::Format::jpeg);
  EXPECT_EQ(out, std::string("\xFF\xD8") + jfif + quant + scan);
  EXPECT_EQ(out.find("GPS"), std::string::npos);
}

TEST(Image, PngLosesTextAndExifChunks) {
  const std::string sig("\x89PNG\r\n\x1a\n", 8);
  const std::string ihdr = png_chunk("IHDR", std::string(13, 'h'));
  const std::string idat = png_chunk("IDAT", "pixels");
  const std::string iend = png_chunk("IEND", "");
  const std::string in = sig + ihdr + png_chunk("tEXt", "Location\0Hall A") + png_chunk("eXIf", "GPS") + idat + iend;
  EXPECT_EQ(image::strip_metadata(in, image::Format::png), sig + ihdr + idat + iend);
}

TEST(Image, WebpLosesExifAndXmpAndFixesHeader) {
  std::string vp8x_flags = std::string(10, '\0');
  vp8x_flags[0] = char(0x0C);  // EXIF + XMP present
  const std::string vp8x = riff_chunk("VP8X", vp8x_flags);
  const std::string vp8 = riff_chunk("VP8 ", "frame-data!");
  const std::string body = "WEBP" + vp8x + vp8 + riff_chunk("EXIF", "GPS") + riff_chunk("XMP ", "<x/>");
  const std::string in = "RIFF" + le32(std::uint32_t(body.size())) + body;
  const std::string out = image::strip_metadata(in, image::Format::webp);
  EXPECT_EQ(out.find("GPS"), std::string::npos);
  EXPECT_EQ(out.find("XMP "), std::string::npos);
  EXPECT_EQ(out.size(), 12 + vp8x.size() + vp8.size());
  EXPECT_EQ(out.substr(4, 4), le32(std::uint32_t(out.size() - 8)));
  EXPECT_EQ(out[12 + 8] & 0x0C, 0);  // flags cleared
}

TEST(Image, BrokenFilesAreClearErrors) {
  const auto code = [](const std::string& bytes, image::Format f) {
    try {
      image::strip_metadata(bytes, f);
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::internal;
  };
  EXPECT_EQ(code("\xFF\xD8\xFF\xE1\xFF\xFF", image::Format::jpeg), ErrorCode::invalid_input);  // length past the end
  EXPECT_EQ(code("\xFF\xD8", image::Format::jpeg), ErrorCode::invalid_input);                  // no scan
  EXPECT_EQ(code(std::string("\x89PNG\r\n\x1a\n", 8) + be32(1000) + "IDAT", image::Format::png), ErrorCode::invalid_input);
  EXPECT_EQ(code(std::string("RIFF\0\0\0\0WEBPVP8 \xFF\xFF\0\0", 20), image::Format::webp), ErrorCode::invalid_input);
}
