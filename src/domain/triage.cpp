#include "domain/triage.hpp"

#include <array>
#include <utility>

namespace visor {
namespace {

constexpr std::array<std::pair<TriageSource, std::string_view>, 3> kSources{
    {{TriageSource::glasses, "glasses"}, {TriageSource::qr_form, "qr_form"}, {TriageSource::app, "app"}}};
constexpr std::array<std::pair<TriageState, std::string_view>, 4> kStates{{{TriageState::pending, "pending"},
                                                                           {TriageState::approved, "approved"},
                                                                           {TriageState::rejected, "rejected"},
                                                                           {TriageState::merged, "merged"}}};

template <class Table, class E>
std::string_view name_in(const Table& t, E v) {
  for (const auto& [e, n] : t)
    if (e == v) return n;
  return "?";
}

template <class E, class Table>
std::optional<E> parse_in(const Table& t, std::string_view s) {
  for (const auto& [e, n] : t)
    if (n == s) return e;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(TriageSource v) { return name_in(kSources, v); }
std::string_view to_string(TriageState v) { return name_in(kStates, v); }
std::optional<TriageSource> parse_triage_source(std::string_view s) { return parse_in<TriageSource>(kSources, s); }
std::optional<TriageState> parse_triage_state(std::string_view s) { return parse_in<TriageState>(kStates, s); }

}  // namespace visor
