// Planning use cases: bulk changes (one transaction per task, outcomes per
// task) and the instructions preview (the server's own parser).
#include <gtest/gtest.h>

#include "domain/instructions.hpp"
#include "fixture.hpp"
#include "services/planning.hpp"

namespace visor::services::test {
namespace {

class Planning : public ServicesTest {
 protected:
  TaskDetail make(const std::string& title) {
    auto d = deps();
    TaskChanges c;
    c.title = title;
    return create_task(d, manager(), c);
  }
};

TEST_F(Planning, BulkAppliesEachTaskAndReportsTheOnesThatFail) {
  auto d = deps();
  const TaskDetail a = make("A"), b = make("B"), c = make("C");
  TaskChanges assign;
  assign.assignee_id = std::optional<UserId>(tech_id_);
  const auto out = bulk_update(d, manager(), {{a.row.task.id, std::nullopt, assign},
                                              {b.row.task.id, b.row.task.version + 5, assign},  // stale
                                              {c.row.task.id, c.row.task.version, assign}});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].ok);
  EXPECT_EQ(out[0].version, a.row.task.version + 1);
  EXPECT_FALSE(out[1].ok);
  EXPECT_EQ(out[1].error, ErrorCode::precondition_failed);
  EXPECT_TRUE(out[2].ok);
  const auto assignee = [&](TaskId id) { return get_task(d, manager(), id).row.task.assignee_id; };
  EXPECT_EQ(assignee(a.row.task.id), tech_id_);
  EXPECT_EQ(assignee(b.row.task.id), std::nullopt);  // untouched
  EXPECT_EQ(assignee(c.row.task.id), tech_id_);
}

TEST_F(Planning, BulkRefusesTechniciansDuplicatesAndEmptyOrHugeLists) {
  auto d = deps();
  const TaskDetail a = make("A");
  TaskChanges p;
  p.priority = 3;
  expect_error(ErrorCode::forbidden, [&] { bulk_update(d, technician(), {{a.row.task.id, std::nullopt, p}}); });
  expect_error(ErrorCode::invalid_input, [&] { bulk_update(d, manager(), {}); });
  expect_error(ErrorCode::invalid_input,
               [&] { bulk_update(d, manager(), {{a.row.task.id, std::nullopt, p}, {a.row.task.id, std::nullopt, p}}); });
  std::vector<BulkItem> many(kMaxBulkItems + 1, BulkItem{a.row.task.id, std::nullopt, p});
  expect_error(ErrorCode::invalid_input, [&] { bulk_update(d, manager(), many); });
  const auto missing = bulk_update(d, manager(), {{TaskId{9999}, std::nullopt, p}});
  EXPECT_EQ(missing[0].error, ErrorCode::not_found);
}

TEST_F(Planning, PreviewIsTheServersParser) {
  const Instructions in{InstructionKind::text,
                        "<p>Intro.</p><ol><li>Measure the flow in litres.</li><li>Close it</li></ol><p>Warning: hot</p>", ""};
  const ParsedInstructions expected = parse_instructions(in);
  const ParsedInstructions got = preview_instructions(manager(), in);
  ASSERT_EQ(got.steps.size(), 2u);
  EXPECT_EQ(got.summary, expected.summary);
  EXPECT_EQ(got.safety, expected.safety);
  EXPECT_EQ(got.steps[0].text, "Measure the flow in litres.");
  EXPECT_TRUE(got.steps[0].wants_value);
  EXPECT_EQ(got.steps[0].unit, "litres");
  expect_error(ErrorCode::forbidden, [&] { preview_instructions(technician(), in); });
}

}  // namespace
}  // namespace visor::services::test
