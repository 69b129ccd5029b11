#pragma once
// The data directory is private to the account Visor runs as: every command
// runs with umask 077 (so whatever it creates — the database, its -wal and
// -shm files, media, keys, instance-id — is 0600/0700), and a directory or
// media left wider by an older version is narrowed when a command opens it.
#include <filesystem>

namespace visor::app {

/// Sets the process umask to 077 (call first thing in main).
void private_umask();

/// Creates `data_dir` (mode 0700), or narrows an existing one that we own to
/// 0700, and narrows media/ below it (folders 0700, files 0600).
void prepare_data_dir(const std::filesystem::path& data_dir);

}  // namespace visor::app
