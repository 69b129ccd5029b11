#include "domain/instructions.hpp"

#include <gtest/gtest.h>

using namespace visor;

namespace {
Instructions html(std::string text) { return Instructions{InstructionKind::text, std::move(text), {}}; }
}  // namespace

// The instruction text of a real Odoo 19 request (odoo-fixtures/json2_request_with_instructions.json).
TEST(Instructions, OdooListBecomesStepsWithSummaryAndSafety) {
  const auto parsed = parse_instructions(html(
      "<p>Quarterly inspection of the hydraulic press.</p><ol><li>Lock out and tag out the main power "
      "(LOTO).</li><li>Check the hydraulic oil level; record it in litres.</li><li>Inspect hoses for cracks or "
      "leaks.</li><li>Measure the pump pressure at idle (bar).</li><li>Remove the lock and run a test "
      "cycle.</li></ol><p><b>Safety:</b> wear gloves and eye protection.</p>"));
  EXPECT_EQ(parsed.summary, "Quarterly inspection of the hydraulic press.");
  ASSERT_EQ(parsed.steps.size(), 5u);
  EXPECT_EQ(parsed.steps[0].text, "Lock out and tag out the main power (LOTO).");
  EXPECT_FALSE(parsed.steps[0].wants_value);
  EXPECT_TRUE(parsed.steps[1].wants_value);
  EXPECT_EQ(parsed.steps[1].unit, "litres");
  EXPECT_TRUE(parsed.steps[3].wants_value);
  EXPECT_EQ(parsed.steps[3].unit, "bar");
  ASSERT_EQ(parsed.safety.size(), 1u);
  EXPECT_EQ(parsed.safety[0], "Safety: wear gloves and eye protection.");
}

TEST(Instructions, ParagraphsAndLineBreaksWithoutList) {
  const auto parsed = parse_instructions(html("<p>1. Open the panel<br>2) Clean the filter</p><p>Step 3: Close it</p>"));
  ASSERT_EQ(parsed.steps.size(), 3u);
  EXPECT_EQ(parsed.steps[0].text, "Open the panel");
  EXPECT_EQ(parsed.steps[1].text, "Clean the filter");
  EXPECT_EQ(parsed.steps[2].text, "Close it");
  EXPECT_TRUE(parsed.summary.empty());
}

TEST(Instructions, PlainTextLines) {
  const auto parsed = parse_instructions(html("- Drain the tank\n- Refill with 5 l of oil\n\n"));
  ASSERT_EQ(parsed.steps.size(), 2u);
  EXPECT_EQ(parsed.steps[1].text, "Refill with 5 l of oil");
}

TEST(Instructions, EntitiesScriptsAndBrokenMarkup) {
  const auto parsed =
      parse_instructions(html("<ul><li>Check &lt;A&gt; &amp; B at 20&deg;C&#33;</li><script>alert(1)</script>"
                              "<li>Tighten&nbsp;bolts &#x2014; 25 N&middot;m</li><li>unterminated <b"));
  ASSERT_EQ(parsed.steps.size(), 3u);
  EXPECT_EQ(parsed.steps[0].text, "Check <A> & B at 20°C!");
  EXPECT_EQ(parsed.steps[1].text, "Tighten bolts — 25 N&middot;m");  // unknown entity kept literally
  EXPECT_EQ(parsed.steps[2].text, "unterminated");                   // text before a truncated tag survives
}

TEST(Instructions, FrenchSafetyNote) {
  const auto parsed = parse_instructions(html("<p>Sécurité : couper l'alimentation.</p><p>Remplacer le filtre</p>"));
  ASSERT_EQ(parsed.safety.size(), 1u);
  ASSERT_EQ(parsed.steps.size(), 1u);
  EXPECT_EQ(parsed.steps[0].text, "Remplacer le filtre");
}

TEST(Instructions, PdfAndEmpty) {
  EXPECT_TRUE(parse_instructions(Instructions{}).steps.empty());
  const auto pdf = parse_instructions(Instructions{InstructionKind::pdf, {}, "/api/v1/media/3"});
  EXPECT_TRUE(pdf.steps.empty());
  EXPECT_NE(pdf.summary.find("/api/v1/media/3"), std::string::npos);
}

TEST(Instructions, MergeKeepsResultsOfUnchangedSteps) {
  Step old1;
  old1.number = 1;
  old1.text = "Open";
  old1.done = true;
  old1.note = "ok";
  Step old2;
  old2.number = 2;
  old2.text = "Measure (bar)";
  old2.kind = StepKind::number;
  old2.wants_value = true;
  old2.unit = "bar";
  old2.done = true;
  old2.value = "3.2";
  StepSpec measure{"Measure (bar)", StepKind::number, true, "bar"};
  const auto merged = merge_steps({old1, old2}, {measure, StepSpec{"Close"}});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].number, 1);
  EXPECT_TRUE(merged[0].done);
  EXPECT_EQ(merged[0].value, "3.2");
  EXPECT_FALSE(merged[1].done);
  EXPECT_EQ(merged[1].number, 2);
}

TEST(Instructions, HtmlToText) {
  EXPECT_EQ(html_to_text("<p>Hello <b>world</b></p><p>Second</p>"), "Hello world\nSecond");
}

// Issue 10, finding 11: "an https:// link or a path on this server" — and
// nothing a browser would follow to another site.
TEST(Instructions, LinkRuleAcceptsHttpsLinksAndLocalPathsOnly) {
  for (const char* ok : {"", "https://docs.example/manual.pdf", "HTTPS://docs.example", "https://docs.example:8443/x?y#z",
                         "/api/v1/media/3", "/", "/manuals/pump%20A.pdf"})
    EXPECT_TRUE(valid_instruction_url(ok)) << ok;
  for (const char* bad : {"//evil.example/x", "/\\evil.example/x", "http://docs.example/x", "javascript:alert(1)",
                          "https://", "https:///x", "https://user@evil.example/", "https://:443/x",
                          "https://docs.example\\@evil.example/", "/x\\y", "/x y", "/x\ny", "relative/path",
                          "data:text/html,x", " https://docs.example"})
    EXPECT_FALSE(valid_instruction_url(bad)) << bad;
}
