#include "auth/policy.hpp"

#include <gtest/gtest.h>

#include <map>

#include "util/error.hpp"

namespace visor::auth {
namespace {

using P = Permission;

// The access matrix, spelled out. A change to the table in policy.cpp must
// change this too: that is the point.
struct Row {
  Permission permission;
  bool technician, manager, admin;
};
constexpr Row kMatrix[] = {
    //                         tech   mgr    admin
    {P::public_access,         true,  true,  true},
    {P::authenticated,         true,  true,  true},
    {P::task_read,             true,  true,  true},
    {P::task_execute,          true,  true,  true},
    {P::task_report,           true,  true,  true},
    {P::task_plan,             false, true,  true},
    {P::equipment_read,        true,  true,  true},
    {P::equipment_write,       false, true,  true},
    {P::catalog_read,          true,  true,  true},
    {P::user_read,             false, true,  true},
    {P::user_manage,           false, true,  true},
    {P::user_admin,            false, false, true},
    {P::device_pair,           false, true,  true},
    {P::device_admin,          false, true,  true},
    {P::settings_admin,        false, false, true},
    {P::sync_read,             false, true,  true},
    {P::sync_admin,            false, false, true},
    {P::audit_read,            false, true,  true},
    {P::reports_read,          false, true,  true},
    {P::events_read,           true,  true,  true},
};

TEST(Policy, MatrixCoversEveryPermissionExactlyOnce) {
  ASSERT_EQ(std::size(kMatrix), kAllPermissions.size());
  for (std::size_t i = 0; i < kAllPermissions.size(); ++i) {
    EXPECT_EQ(kMatrix[i].permission, kAllPermissions[i]) << "row " << i;
    EXPECT_EQ(static_cast<std::size_t>(kAllPermissions[i]), i) << "kAllPermissions is in declaration order";
  }
}

TEST(Policy, EveryRoleTimesEveryPermission) {
  for (const Row& row : kMatrix) {
    const auto name = to_string(row.permission);
    EXPECT_EQ(allows(Role::technician, row.permission), row.technician) << "technician × " << name;
    EXPECT_EQ(allows(Role::manager, row.permission), row.manager) << "manager × " << name;
    EXPECT_EQ(allows(Role::admin, row.permission), row.admin) << "admin × " << name;
  }
}

TEST(Policy, PermissionNamesAreDistinct) {
  std::map<std::string_view, int> names;
  for (Permission p : kAllPermissions) ++names[to_string(p)];
  for (const auto& [name, n] : names) EXPECT_EQ(n, 1) << name;
  EXPECT_EQ(names.size(), kAllPermissions.size());
  EXPECT_EQ(names.count("unknown"), 0u);
}

TEST(Policy, AnonymousHasOnlyPublicAccess) {
  for (Permission p : kAllPermissions) {
    EXPECT_EQ(allows(std::optional<Actor>{}, p), p == P::public_access) << to_string(p);
  }
}

ErrorCode require_code(std::optional<Actor> actor, Permission p) {
  try {
    require(actor, p);
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::internal;  // "did not throw"
}

TEST(Policy, RequireDistinguishesAnonymousFromForbidden) {
  const Actor tech{UserId(1), Role::technician, std::nullopt};
  EXPECT_NO_THROW(require(tech, P::task_read));
  EXPECT_NO_THROW(require(std::nullopt, P::public_access));
  EXPECT_EQ(require_code(std::nullopt, P::task_read), ErrorCode::unauthenticated);
  EXPECT_EQ(require_code(tech, P::task_plan), ErrorCode::forbidden);
}

TEST(Policy, MayManage) {
  const Actor tech{UserId(1), Role::technician, std::nullopt};
  const Actor mgr{UserId(2), Role::manager, std::nullopt};
  const Actor admin{UserId(3), Role::admin, std::nullopt};
  EXPECT_TRUE(may_manage(tech, UserId(1), Role::technician));
  EXPECT_FALSE(may_manage(tech, UserId(9), Role::technician));
  EXPECT_TRUE(may_manage(mgr, UserId(9), Role::technician));
  EXPECT_TRUE(may_manage(mgr, UserId(2), Role::manager));
  EXPECT_FALSE(may_manage(mgr, UserId(9), Role::manager));
  EXPECT_FALSE(may_manage(mgr, UserId(9), Role::admin));
  EXPECT_TRUE(may_manage(admin, UserId(9), Role::admin));
  EXPECT_TRUE(may_manage(admin, UserId(9), Role::technician));
}

}  // namespace
}  // namespace visor::auth
