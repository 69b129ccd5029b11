# Installs what Visor needs from Debian 12 and npm, only when missing.
# Source it, then call `ensure_build_deps`, `ensure_test_deps` or `ensure_npm`.
set -euo pipefail

VISOR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

BUILD_PACKAGES=(g++ cmake ninja-build pkg-config ccache git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libcurl4-openssl-dev libssl-dev libsodium-dev libexpat1-dev libqrencode-dev
  libcctz-dev tzdata
  libgtest-dev libgmock-dev)
TEST_PACKAGES=(postgresql-15 postgresql-client python3 chromium clang libclang-rt-14-dev curl systemd poppler-utils)
BENCH_PACKAGES=(wrk)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "visor: need root (or sudo) to install: $*" >&2; return 1; fi
}

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

apt_ensure() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  echo "visor: installing from Debian: $(echo $missing | tr '\n' ' ')"
  as_root apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

ensure_build_deps() { apt_ensure "${BUILD_PACKAGES[@]}"; }
ensure_test_deps() { apt_ensure "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"; }
ensure_bench_deps() { apt_ensure "${BUILD_PACKAGES[@]}" "${BENCH_PACKAGES[@]}"; }

# npm packages pinned by package-lock.json; reinstalled when the lock changes.
ensure_npm() {
  # Node may come from Debian (nodejs + npm) or another vendor's nodejs
  # package that bundles npm; only install what is really missing.
  command -v node >/dev/null || apt_ensure nodejs
  command -v npm >/dev/null || apt_ensure npm
  local stamp="$VISOR_ROOT/node_modules/.visor-lock"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$VISOR_ROOT/package-lock.json"; then return 0; fi
  (cd "$VISOR_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$VISOR_ROOT/package-lock.json" "$stamp"
}

# Configures and builds into build/ (RelWithDebInfo unless BUILD_TYPE says otherwise).
build_visor() {
  local jobs
  jobs=$(nproc)
  cmake -S "$VISOR_ROOT" -B "$VISOR_ROOT/build" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
  cmake --build "$VISOR_ROOT/build" -j "$jobs"
  if [ -x "$VISOR_ROOT/scripts/build-web" ]; then "$VISOR_ROOT/scripts/build-web"; fi
}
