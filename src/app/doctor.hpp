#pragma once
// `visor doctor` and the facts behind GET /api/v1/admin/security: what the
// configuration, the key, the media folder, the disk, the database URL, the
// CMMS connection and the accounts say about a deployment's security
// (judged by services/posture.hpp).
#include <filesystem>
#include <string>

#include "app/args.hpp"
#include "app/config.hpp"
#include "auth/secret_box.hpp"
#include "services/posture.hpp"
#include "storage/store.hpp"

namespace visor::app {

/// Gathers the facts of the deployment `config` describes (reads the store,
/// stats the key file, reads the first bytes of every stored file). `box`
/// is null when the key does not open (`key_problem` says why).
services::PostureFacts gather_posture(const Config& config, storage::Store& store, const auth::SecretBox* box,
                                      const std::string& key_problem = "");

/// "dm-crypt" when `dir` sits on a dm-crypt (LUKS) device, possibly under
/// LVM; "fscrypt" when it is an fscrypt-encrypted folder; empty otherwise.
/// `sys_root` is /sys (tests give a fake tree).
std::string volume_encryption(const std::filesystem::path& dir, const std::filesystem::path& sys_root = "/sys");

/// One line for the start-up log: whether the data directory (and the
/// database, when it is a file in it) sits on an encrypted volume.
std::string describe_volume(const std::filesystem::path& data_dir);

/// `visor doctor [--json]`: prints the findings; exit 0 when none fails,
/// 1 otherwise (warnings alone still exit 0).
int cmd_doctor(const Args& args, const Config& config);

}  // namespace visor::app
