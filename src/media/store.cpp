#include "media/store.hpp"

namespace visor::media {

std::string content_name(std::string_view sha256_hex, std::string_view extension) {
  return std::string(sha256_hex.substr(0, 2)) + "/" + std::string(sha256_hex) + "." + std::string(extension);
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 512 || name.front() == '/') return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view segment = name.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (char c : segment) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

void store_bytes(MediaStore& store, const std::string& name, std::string_view bytes) {
  auto writer = store.create(name, bytes.size());
  writer->write(bytes);
  writer->commit();
}

std::string load_bytes(MediaStore& store, const std::string& name) {
  auto reader = store.open(name);
  std::string out;
  out.reserve(std::size_t(reader->size()));
  while (out.size() < reader->size())
    if (reader->read(out.size(), reader->size() - out.size(), out) == 0) break;
  return out;
}

}  // namespace visor::media
