// The `visor` executable: everything happens in app/commands.cpp.
#include <string>
#include <vector>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  return visor::app::run_cli(std::vector<std::string>(argv + 1, argv + argc));
}
