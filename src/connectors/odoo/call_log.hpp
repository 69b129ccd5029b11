#pragma once
// Internal: the debug line each Odoo call leaves. Model, method, protocol,
// outcome and duration only: arguments and results may hold personal data,
// and requests hold the key.
#include <chrono>
#include <string>
#include <string_view>

#include "util/log.hpp"

namespace visor::odoo {

class CallLog {
 public:
  CallLog(std::string_view protocol, std::string_view model, std::string_view method)
      : protocol_(protocol), model_(model), method_(method), start_(std::chrono::steady_clock::now()) {}

  /// `outcome`: "200", "fault 2", "transport"…
  void done(std::string_view outcome) const {
    if (log::level() > log::Level::debug) return;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
    const auto ms_text = std::to_string(ms.count());
    log::debug("odoo", "call",
               {{"protocol", protocol_}, {"model", model_}, {"method", method_}, {"status", outcome}, {"ms", ms_text}});
  }

 private:
  std::string_view protocol_, model_, method_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace visor::odoo
