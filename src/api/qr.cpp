#include "api/qr.hpp"

#include <qrencode.h>

#include <memory>

#include "util/error.hpp"
#include "util/html.hpp"

namespace visor::api {

std::string qr_svg(std::string_view text, std::string_view caption) {
  const std::string data(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M),
                                                       &QRcode_free);
  if (!code) fail(ErrorCode::internal, "Could not encode the QR code.");
  const int quiet = 4;
  const int size = code->width + 2 * quiet;
  const int caption_height = caption.empty() ? 0 : 6;
  std::string path;
  path.reserve(std::size_t(code->width * code->width) * 4);
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if ((code->data[y * code->width + x] & 1) == 0) continue;
      // Runs of dark modules on a row become one rectangle.
      int run = 1;
      while (x + run < code->width && (code->data[y * code->width + x + run] & 1)) ++run;
      path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h" + std::to_string(run) + "v1h-" +
              std::to_string(run) + "z";
      x += run - 1;
    }
  }
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
                    std::to_string(size + caption_height) + "\" shape-rendering=\"crispEdges\">";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/>";
  if (!caption.empty()) {
    svg += "<text x=\"" + std::to_string(size / 2) + "\" y=\"" + std::to_string(size + 3) +
           "\" font-family=\"sans-serif\" font-size=\"3\" text-anchor=\"middle\">" + escape_html(caption) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace visor::api
