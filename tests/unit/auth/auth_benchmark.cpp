// Micro-benchmarks of the auth hot path and of password hashing.
//
//   cmake --build build-auth --target auth_benchmark
//   build-auth/tests/unit/auth/auth_benchmark
//
// authenticate(): cached (a hit in the PrincipalCache, the common case at a
// 5 s TTL) and uncached (cache disabled: SHA-256 + one SQLite read of the
// session or device and its user). Argon2id: verify at the production cost,
// and a whole login for a known and an unknown account (the timing the
// dummy hash is meant to equalise).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "auth/authenticator.hpp"
#include "auth/pairing.hpp"
#include "auth/tokens.hpp"
#include "auth/users.hpp"
#include "util/log.hpp"

namespace visor::auth {
namespace {

const std::string kPassword = "correct horse battery";

// One store with one user, a session and a device, per benchmark.
struct World {
  explicit World(Millis ttl, PasswordCost cost = PasswordCost::minimum())
      : clock(std::chrono::sys_time<Millis>(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2))) {
    log::set_level(log::Level::error);
    char tmpl[] = "/tmp/visor-authbench-XXXXXX";
    dir = ::mkdtemp(tmpl);
    store = storage::open_store("sqlite://" + (dir / "visor.db").string());
    NewUser u;
    u.login = "alice";
    u.name = "Alice";
    u.password = Secret(kPassword);
    store->write([&](storage::Tx& tx) { create_user(tx, u, Acting::system(), clock.now(), cost); });
    AuthOptions o;
    o.cache_ttl = ttl;
    o.password_cost = cost;
    auth = std::make_unique<Authenticator>(*store, clock, o);
    session = auth->login("alice", Secret(kPassword), "127.0.0.1").session_token;
    PairingService pairing(*store, clock);
    const User alice = *store->read_value([&](storage::Tx& tx) { return tx.users().get_by_login("alice"); });
    device = pairing.create_token(Acting::system(), alice.id, "Bench", "phone").token;
  }
  ~World() {
    auth.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  std::filesystem::path dir;
  ManualClock clock;  // fixed: cached entries stay fresh, no "last seen" writes
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<Authenticator> auth;
  Secret session;
  Secret device;
};

World& cached() {
  static World w(Millis(5000));
  return w;
}
World& uncached() {
  static World w(Millis(0));
  return w;
}

void BM_HashToken(benchmark::State& state) {
  const Secret t = random_token();
  for (auto _ : state) benchmark::DoNotOptimize(hash_token(t));
}
BENCHMARK(BM_HashToken);

void BM_AuthenticateSessionCached(benchmark::State& state) {
  World& w = cached();
  const Credentials c{w.session.reveal(), std::nullopt};
  for (auto _ : state) benchmark::DoNotOptimize(w.auth->authenticate(c));
}
BENCHMARK(BM_AuthenticateSessionCached)->Threads(1)->Threads(2)->UseRealTime();

void BM_AuthenticateDeviceCached(benchmark::State& state) {
  World& w = cached();
  const Credentials c{std::nullopt, w.device.reveal()};
  for (auto _ : state) benchmark::DoNotOptimize(w.auth->authenticate(c));
}
BENCHMARK(BM_AuthenticateDeviceCached)->Threads(1)->Threads(2)->UseRealTime();

void BM_AuthenticateSessionUncached(benchmark::State& state) {
  World& w = uncached();
  const Credentials c{w.session.reveal(), std::nullopt};
  for (auto _ : state) benchmark::DoNotOptimize(w.auth->authenticate(c));
}
BENCHMARK(BM_AuthenticateSessionUncached)->Threads(1)->Threads(2)->UseRealTime();

void BM_AuthenticateDeviceUncached(benchmark::State& state) {
  World& w = uncached();
  const Credentials c{std::nullopt, w.device.reveal()};
  for (auto _ : state) benchmark::DoNotOptimize(w.auth->authenticate(c));
}
BENCHMARK(BM_AuthenticateDeviceUncached)->Threads(1)->Threads(2)->UseRealTime();

void BM_AuthenticateUnknownToken(benchmark::State& state) {
  World& w = cached();
  const Secret t = new_device_token();
  const Credentials c{std::nullopt, t.reveal()};
  for (auto _ : state) benchmark::DoNotOptimize(w.auth->authenticate(c));
}
BENCHMARK(BM_AuthenticateUnknownToken);

void BM_Argon2idVerifyProduction(benchmark::State& state) {
  const Secret pw(kPassword);
  const std::string hash = hash_password(pw, PasswordCost::production());
  for (auto _ : state) benchmark::DoNotOptimize(verify_password(hash, pw));
}
BENCHMARK(BM_Argon2idVerifyProduction)->Unit(benchmark::kMillisecond)->Iterations(20);

World& production() {
  static World w(Millis(5000), PasswordCost::production());
  return w;
}

void BM_LoginKnownUserProduction(benchmark::State& state) {
  World& w = production();
  for (auto _ : state) benchmark::DoNotOptimize(w.auth->login("alice", Secret(kPassword), "127.0.0.1"));
}
BENCHMARK(BM_LoginKnownUserProduction)->Unit(benchmark::kMillisecond)->Iterations(20);

void BM_LoginUnknownUserProduction(benchmark::State& state) {
  World& w = production();
  int i = 0;
  for (auto _ : state) {
    // A fresh address and login each time so that throttling stays out of it.
    try {
      w.auth->login("ghost" + std::to_string(i), Secret(kPassword), "10.0.0." + std::to_string(i));
    } catch (const Error&) {
    }
    ++i;
  }
}
BENCHMARK(BM_LoginUnknownUserProduction)->Unit(benchmark::kMillisecond)->Iterations(20);

}  // namespace
}  // namespace visor::auth

BENCHMARK_MAIN();
