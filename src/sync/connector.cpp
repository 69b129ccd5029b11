#include "sync/connector.hpp"

namespace visor::sync {

std::string_view to_string(RecordKind kind) {
  switch (kind) {
    case RecordKind::stage: return "stage";
    case RecordKind::team: return "team";
    case RecordKind::user: return "user";
    case RecordKind::category: return "category";
    case RecordKind::equipment: return "equipment";
    case RecordKind::task: return "task";
  }
  return "task";
}

}  // namespace visor::sync
