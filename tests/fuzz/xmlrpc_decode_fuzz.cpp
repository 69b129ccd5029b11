// libFuzzer target for the XML-RPC decoder. Properties checked on every
// input: decoding either yields a value/fault or throws OdooError (anything
// else escapes and is reported), and a decoded value that the encoder
// accepts comes back identical after encode → decode.
//
// Build (clang only):
//   CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DVISOR_BUILD_FUZZ=ON
//   cmake --build build-fuzz --target xmlrpc_decode_fuzz
//   ctest --test-dir build-fuzz -R xmlrpc_fuzz_smoke         # 20 s run
//   build-fuzz/tests/fuzz/xmlrpc_decode_fuzz -dict=tests/fuzz/xmlrpc.dict build-fuzz/tests/fuzz/corpus
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/xmlrpc_codec.hpp"

namespace {

using visor::odoo::DecodeLimits;
using visor::odoo::OdooError;

constexpr DecodeLimits kLimits{.max_bytes = 1u << 20};

void check_round_trip(const visor::odoo::Value& value) {
  std::string encoded;
  try {
    encoded = visor::odoo::encode_response(value, {.allow_nil = true});
  } catch (const std::invalid_argument&) {
    return;  // e.g. base64 bytes that are not UTF-8: not representable as <string>
  }
  const auto again = visor::odoo::decode_response(encoded);
  if (!again.ok() || again.value != value) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  try {
    const auto response = visor::odoo::decode_response(xml, kLimits);
    if (response.ok()) check_round_trip(response.value);
  } catch (const OdooError& e) {
    if (e.kind() != OdooError::Kind::protocol) std::abort();
  }
  try {
    (void)visor::odoo::decode_call(xml, kLimits);
  } catch (const OdooError&) {
  }
  return 0;
}
