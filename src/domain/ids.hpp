#pragma once
// Identifier types of the domain. Local ids are Visor's own row ids; OdooId
// is the id of the same record in the CMMS (absent until it is synced).
#include "util/strong_id.hpp"

namespace visor {

struct TaskTag;
struct EquipmentTag;
struct CategoryTag;
struct StageTag;
struct TeamTag;
struct UserTag;
struct DeviceTag;
struct OdooTag;
struct MediaTag;
struct ProcedureTag;
struct MeterTag;
struct MeterRuleTag;
struct FailureCodeTag;

using TaskId = StrongId<TaskTag>;
using EquipmentId = StrongId<EquipmentTag>;
using CategoryId = StrongId<CategoryTag>;
using StageId = StrongId<StageTag>;
using TeamId = StrongId<TeamTag>;
using UserId = StrongId<UserTag>;
using DeviceId = StrongId<DeviceTag>;
using MediaId = StrongId<MediaTag>;
using ProcedureId = StrongId<ProcedureTag>;
using MeterId = StrongId<MeterTag>;
using MeterRuleId = StrongId<MeterRuleTag>;
using FailureCodeId = StrongId<FailureCodeTag>;
/// A record id in the CMMS. Never mixed with local ids.
using OdooId = StrongId<OdooTag>;

}  // namespace visor
