#pragma once
// libsodium must be initialised once before use. Every auth entry point that
// touches libsodium calls `ensure_sodium()`; the first call initialises it
// (thread-safe: a function-local static), later calls are a load.
namespace visor::auth {

/// Initialises libsodium once per process. Throws Error(internal) if the
/// library cannot initialise (no usable randomness source).
void ensure_sodium();

}  // namespace visor::auth
