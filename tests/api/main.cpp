// main() of the API suites: the test server starts on first use (so that
// listing tests for CTest starts nothing) and stops after the last test.
#include <gtest/gtest.h>

#include "server.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const int rc = RUN_ALL_TESTS();
  visor::apitest::TestServer::shutdown();
  return rc;
}
