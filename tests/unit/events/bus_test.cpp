#include "events/bus.hpp"

#include <gtest/gtest.h>

using namespace visor;
using namespace visor::events;

namespace {
const Actor kTech{UserId{10}, Role::technician, TeamId{1}};
const Actor kOther{UserId{11}, Role::technician, TeamId{2}};
const Actor kManager{UserId{20}, Role::manager, std::nullopt};
const Actor kAdmin{UserId{30}, Role::admin, std::nullopt};
}  // namespace

TEST(Audience, RolesUsersAndTeams) {
  EXPECT_TRUE(visible_to(Audience{{UserId{10}}, {}, false, false, false}, kTech));
  EXPECT_FALSE(visible_to(Audience{{UserId{10}}, {}, false, false, false}, kOther));
  EXPECT_TRUE(visible_to(Audience{{}, TeamId{2}, false, false, false}, kOther));
  EXPECT_TRUE(visible_to(Audience{{}, TeamId{2}, false, false, false}, kManager));
  EXPECT_FALSE(visible_to(Audience{{UserId{10}}, {}, true, false, false}, kTech));
  EXPECT_FALSE(visible_to(Audience{{}, {}, false, true, false}, kManager));
  EXPECT_TRUE(visible_to(Audience{{}, {}, false, true, false}, kAdmin));
  EXPECT_TRUE(visible_to(Audience{{}, {}, false, false, true}, kOther));
}

// The buses themselves: bus_contract.cpp.
