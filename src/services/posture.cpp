#include "services/posture.hpp"

#include <boost/json/object.hpp>
#include <cstdio>

namespace visor::services {
std::string_view to_string(Level level) {
  switch (level) {
    case Level::ok: return "ok";
    case Level::warn: return "warn";
    case Level::fail: return "fail";
  }
  return "fail";
}

std::vector<Finding> assess(const PostureFacts& f) {
  std::vector<Finding> out;
  auto add = [&](std::string check, Level level, std::string summary, std::string action = "") {
    out.push_back({std::move(check), level, std::move(summary), std::move(action)});
  };

  if (f.tls) {
    add("listener.tls", Level::ok, "Visor serves HTTPS itself (TLS 1.2+ with forward secrecy, HSTS).");
  } else if (f.trusted_proxy) {
    add("listener.tls", Level::ok,
        "Plain HTTP behind a trusted reverse proxy: the proxy must terminate TLS and forward X-Forwarded-Proto.",
        "");
  } else if (f.loopback_only) {
    add("listener.tls", Level::warn, "Plain HTTP on loopback only: fine on this machine, not for glasses or browsers "
        "on the plant's network.",
        "Before opening it to the network, set tls_cert and tls_key, or a reverse proxy with trusted_proxies "
        "(docs/deploy.md section 5).");
  } else {
    add("listener.tls", Level::fail, "Plain HTTP on the network: passwords, session cookies and photos travel "
        "unencrypted.",
        "Set tls_cert and tls_key, or put a TLS reverse proxy in front and list it in trusted_proxies "
        "(docs/deploy.md section 5).");
  }

  if (!f.key_problem.empty()) {
    add("key.mode", Level::fail, f.key_problem, "Fix the key as said: Visor does not start until it opens.");
  } else if (f.key_file_mode && (*f.key_file_mode & 0077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", *f.key_file_mode & 0777);
    add("key.mode", Level::fail, "The secret key (" + f.key_source + ") is readable by other users (mode " + mode + ").",
        "chmod 600 it, owned by the user Visor runs as.");
  } else {
    add("key.mode", Level::ok, "The secret key (" + f.key_source + ") is readable by its owner only.");
  }
  if (f.key_in_data_dir) {
    add("key.location", Level::warn, "The secret key lies in the data directory: a copy of that directory opens "
        "the photos, the backups and the CMMS API key.",
        "Move it out: key_file = /etc/visor/secret.key or the systemd credential visor-secret-key "
        "(docs/deploy.md section 2).");
  } else {
    add("key.location", Level::ok, "The secret key is kept apart from the data (" + f.key_source + ").");
  }

  if (!f.media_problem.empty()) {
    add("media.encryption", Level::fail, f.media_problem, "Start Visor with the secret key the media keys were wrapped under.");
  } else if (f.media_plain_files > 0) {
    add("media.encryption", Level::warn,
        std::to_string(f.media_plain_files) + " stored file(s) predate encryption at rest and are plain on disk.",
        "Run `visor migrate` to encrypt them.");
  } else {
    add("media.encryption", Level::ok, "Photos are encrypted at rest (" + f.media_protection + ").");
  }
  add("backup.encryption", Level::ok,
      "`visor backup` encrypts archives under the secret key (an unencrypted one only with --unencrypted).");

  if (!f.data_volume_encryption.empty()) {
    add("volume.encryption", Level::ok, "The data directory sits on an encrypted volume (" + f.data_volume_encryption + ").");
  } else {
    add("volume.encryption", Level::warn,
        "The data directory does not sit on an encrypted volume that Visor could see: the task store (titles, "
        "notes, values, who did what) and the audit log are plain files.",
        "Put the data directory (and PostgreSQL's) on a LUKS volume or an fscrypt folder (docs/deploy.md "
        "section 11, decision 0021).");
  }

  switch (f.db_transport) {
    case Transport::local:
      add("database.tls", Level::ok, f.db_backend == "sqlite" ? "The database is a local SQLite file."
                                                              : "PostgreSQL is reached on this machine (socket or loopback).");
      break;
    case Transport::verified:
      add("database.tls", Level::ok, "PostgreSQL is reached over TLS with its certificate verified (sslmode=verify-full).");
      break;
    case Transport::unverified:
      add("database.tls", Level::warn, "PostgreSQL is reached over TLS without verifying the server (sslmode is not "
          "verify-full): anyone on the path can pose as it.",
          "Add sslmode=verify-full&sslrootcert=/etc/visor/pg-ca.crt to the database URL (docs/deploy.md section 3).");
      break;
    case Transport::plain:
      add("database.tls", Level::fail, "PostgreSQL is reached without TLS across the network.",
          "Enable ssl on the server and add sslmode=verify-full&sslrootcert=… to the database URL (docs/deploy.md "
          "section 3).");
      break;
  }

  if (f.cmms_url.empty()) {
    add("cmms.tls", Level::ok, "No CMMS connection is configured.");
  } else if (const auto warning = cmms_transport_warning(f.cmms_url, f.cmms_verify_tls)) {
    add("cmms.tls", http_transport(f.cmms_url, f.cmms_verify_tls) == Transport::plain ? Level::fail : Level::warn,
        *warning, "visor sync configure --url https://… --verify-tls yes [--ca-file F]");
  } else {
    add("cmms.tls", Level::ok, "The CMMS is reached over verified TLS (or on this machine).");
  }

  if (!f.demo_logins.empty()) {
    std::string logins;
    for (const std::string& l : f.demo_logins) logins += (logins.empty() ? "" : ", ") + l;
    add("accounts.demo", Level::fail,
        "The demo plant's accounts are active (" + logins + "); their passwords were printed at start.",
        "Disable them (visor user disable --login L) or start from an empty store.");
  } else {
    add("accounts.demo", Level::ok, "No demo account is active.");
  }
  return out;
}

Level worst(const std::vector<Finding>& findings) {
  Level w = Level::ok;
  for (const Finding& f : findings)
    if (f.level > w) w = f.level;
  return w;
}

boost::json::array to_json(const std::vector<Finding>& findings) {
  boost::json::array out;
  for (const Finding& f : findings)
    out.push_back(boost::json::object{
        {"check", f.check}, {"level", to_string(f.level)}, {"summary", f.summary}, {"action", f.action}});
  return out;
}

}  // namespace visor::services
