// The plain-text step convention (docs/procedures.md) and the ranges it reads.
#include <gtest/gtest.h>

#include "domain/instructions.hpp"
#include "domain/step_tags.hpp"
#include "domain/value_range.hpp"

using namespace visor;

namespace {
Instructions html(std::string text) { return Instructions{InstructionKind::text, std::move(text), {}}; }
}  // namespace

TEST(ValueRange, DecimalsWithPointOrComma) {
  EXPECT_DOUBLE_EQ(*leading_decimal("3.5"), 3.5);
  EXPECT_DOUBLE_EQ(*leading_decimal("3,5 bar"), 3.5);
  EXPECT_DOUBLE_EQ(*leading_decimal("-4"), -4);
  EXPECT_DOUBLE_EQ(*leading_decimal("\xE2\x88\x92" "2.5"), -2.5);  // U+2212
  EXPECT_FALSE(leading_decimal("bar"));
  EXPECT_FALSE(parse_measured("1e400"));
  EXPECT_FALSE(leading_decimal("9999999999999"));
  EXPECT_DOUBLE_EQ(*parse_measured(" 3,2 bar "), 3.2);
  EXPECT_FALSE(parse_measured("three"));
  EXPECT_FALSE(parse_measured("3.2.1"));
  EXPECT_FALSE(parse_measured("3 then a very long sentence"));
  EXPECT_EQ(format_decimal(3.5), "3.5");
  EXPECT_EQ(format_decimal(3.0), "3");
  EXPECT_EQ(format_decimal(-0.25), "-0.25");
}

TEST(ValueRange, RangesInWordsAsTheHudReadsThem) {
  auto r = range_in_words("Measure the pressure, expected 3.0–3.5 bar");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->min, 3.0);
  EXPECT_DOUBLE_EQ(*r->max, 3.5);
  EXPECT_EQ(r->unit, "bar");
  r = range_in_words("Oil temperature between 40 and 60 °C");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->min, 40);
  EXPECT_DOUBLE_EQ(*r->max, 60);
  EXPECT_EQ(r->unit, "°C");
  r = range_in_words("Mesurer la pression entre 3 et 3,5 bar");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->max, 3.5);
  r = range_in_words("Play max. 0.5 mm");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->min);
  EXPECT_DOUBLE_EQ(*r->max, 0.5);
  EXPECT_EQ(r->unit, "mm");
  r = range_in_words("Pressure at least 2 bar");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->min, 2);
  EXPECT_FALSE(r->max);
  EXPECT_FALSE(range_in_words("Do steps 1-3 again"));  // no unit: not a range
  EXPECT_FALSE(range_in_words("Check the hoses"));
}

TEST(ValueRange, TagArguments) {
  auto r = range_in_tag("3.0\xE2\x80\x93" "3.5 bar");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->min, 3.0);
  EXPECT_DOUBLE_EQ(*r->max, 3.5);
  EXPECT_EQ(r->unit, "bar");
  r = range_in_tag("<= 0,5 mm");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->max, 0.5);
  r = range_in_tag("\xE2\x89\xA5 40 °C");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->min, 40);
  EXPECT_EQ(r->unit, "°C");
  r = range_in_tag("3.2 \xC2\xB1 0.2 bar");
  ASSERT_TRUE(r);
  EXPECT_NEAR(*r->min, 3.0, 1e-9);
  EXPECT_NEAR(*r->max, 3.4, 1e-9);
  r = range_in_tag("-20..-10 °C");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r->min, -20);
  EXPECT_DOUBLE_EQ(*r->max, -10);
  r = range_in_tag("bar");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->min);
  EXPECT_EQ(r->unit, "bar");
  EXPECT_TRUE(range_in_tag(""));
  EXPECT_FALSE(range_in_tag("3 4 5"));
  EXPECT_FALSE(range_in_tag("3 to"));
}

TEST(StepTags, EveryKindInEnglish) {
  auto t = read_step_tag("[check] Belt tension");
  ASSERT_TRUE(t.step);
  EXPECT_EQ(t.step->kind, StepKind::check);
  EXPECT_EQ(t.step->text, "Belt tension");
  EXPECT_TRUE(t.step->required);

  t = read_step_tag("[number 3.0\xE2\x80\x93" "3.5 bar] Pump pressure at idle");
  ASSERT_TRUE(t.step);
  EXPECT_EQ(t.step->kind, StepKind::number);
  EXPECT_TRUE(t.step->wants_value);
  EXPECT_DOUBLE_EQ(*t.step->min, 3.0);
  EXPECT_DOUBLE_EQ(*t.step->max, 3.5);
  EXPECT_EQ(t.step->unit, "bar");

  t = read_step_tag("[choice OK / worn / replaced] Drive belt");
  ASSERT_TRUE(t.step);
  EXPECT_EQ(t.step->kind, StepKind::choice);
  EXPECT_EQ(t.step->options, (std::vector<std::string>{"OK", "worn", "replaced"}));

  t = read_step_tag("[text optional] Serial number");
  ASSERT_TRUE(t.step);
  EXPECT_EQ(t.step->kind, StepKind::text);
  EXPECT_FALSE(t.step->required);

  t = read_step_tag("[Photo] Panel after cleaning");
  ASSERT_TRUE(t.step);
  EXPECT_EQ(t.step->kind, StepKind::photo);
  EXPECT_TRUE(t.step->required);
  EXPECT_FALSE(read_step_tag("[photo optional] Panel").step->required);

  t = read_step_tag("[meter hours h] Running hours");
  ASSERT_TRUE(t.step);
  EXPECT_EQ(t.step->kind, StepKind::number);
  EXPECT_EQ(t.step->meter, "hours");
  EXPECT_EQ(t.step->unit, "h");

  t = read_step_tag("[sign-off]");
  EXPECT_FALSE(t.step);
  EXPECT_EQ(t.signoff, SignOff::technician);
  EXPECT_EQ(read_step_tag("[sign-off supervisor]").signoff, SignOff::supervisor);
}

TEST(StepTags, FrenchKeywords) {
  EXPECT_EQ(read_step_tag("[Contrôle] Tension de la courroie").step->kind, StepKind::check);
  auto t = read_step_tag("[mesure 3,0\xE2\x80\x93" "3,5 bar] Pression");
  ASSERT_TRUE(t.step);
  EXPECT_DOUBLE_EQ(*t.step->max, 3.5);
  t = read_step_tag("[choix facultatif: bon / usé / remplacé] Courroie");
  ASSERT_TRUE(t.step);
  EXPECT_FALSE(t.step->required);
  EXPECT_EQ(t.step->options.size(), 3u);
  EXPECT_EQ(read_step_tag("[texte] Numéro de série").step->kind, StepKind::text);
  EXPECT_EQ(read_step_tag("[compteur heures h] Heures de marche").step->meter, "heures");
  EXPECT_EQ(read_step_tag("[visa superviseur]").signoff, SignOff::supervisor);
}

TEST(StepTags, MistakesWarnAndKeepTheWords) {
  auto t = read_step_tag("[chek] Belt tension");
  EXPECT_FALSE(t.step);
  EXPECT_NE(t.warning.find("unknown tag [chek]"), std::string::npos);
  t = read_step_tag("[choice OK] Belt");
  EXPECT_FALSE(t.step);
  EXPECT_NE(t.warning.find("two answers"), std::string::npos);
  t = read_step_tag("[number 5-3 bar] Pressure");
  EXPECT_FALSE(t.step);
  EXPECT_NE(t.warning.find("smallest"), std::string::npos);
  t = read_step_tag("[number lots] Pressure");
  EXPECT_TRUE(t.step);  // "lots" is a unit
  t = read_step_tag("[check now] Belt");
  EXPECT_FALSE(t.step);
  t = read_step_tag("[meter] Hours");
  EXPECT_FALSE(t.step);
  t = read_step_tag("[check]");
  ASSERT_TRUE(t.step);
  EXPECT_EQ(t.step->text, "check");
  EXPECT_FALSE(t.warning.empty());
  EXPECT_FALSE(read_step_tag("No tag here").step);
  EXPECT_TRUE(read_step_tag("No tag here").warning.empty());
}

TEST(StepTags, TagOfWritesTheConventionBack) {
  for (const char* line : {"[check] a", "[number 3\xE2\x80\x93" "3.5 bar] a", "[choice OK / worn] a", "[text optional] a",
                           "[photo] a", "[meter hours \xE2\x89\xA5 0 h] a", "[number \xE2\x89\xA4 0.5 mm] a"}) {
    const auto t = read_step_tag(line);
    ASSERT_TRUE(t.step) << line;
    const auto again = read_step_tag(tag_of(*t.step) + " a");
    ASSERT_TRUE(again.step) << tag_of(*t.step);
    EXPECT_EQ(again.step->kind, t.step->kind);
    EXPECT_EQ(again.step->min, t.step->min);
    EXPECT_EQ(again.step->max, t.step->max);
    EXPECT_EQ(again.step->unit, t.step->unit);
    EXPECT_EQ(again.step->options, t.step->options);
    EXPECT_EQ(again.step->required, t.step->required);
    EXPECT_EQ(again.step->meter, t.step->meter);
  }
}

// What a planner types in Odoo's instruction field: a list with tags.
TEST(StepTags, OdooInstructionsWithTagsBecomeTypedSteps) {
  const auto parsed = parse_instructions(html(
      "<p>Monthly press inspection.</p><ol><li>Lock out the press.</li><li>[check] Hoses free of leaks</li>"
      "<li>[number 3.0&ndash;3.5 bar] Pump pressure at idle</li><li>[choice OK / worn / replaced] Drive belt</li>"
      "<li>[photo optional] Guard after cleaning</li><li>[sign-off supervisor]</li></ol>"
      "<p>Safety: wear gloves.</p>"));
  EXPECT_EQ(parsed.summary, "Monthly press inspection.");
  ASSERT_EQ(parsed.steps.size(), 5u);
  EXPECT_EQ(parsed.steps[0].kind, StepKind::instruction);
  EXPECT_EQ(parsed.steps[1].kind, StepKind::check);
  EXPECT_EQ(parsed.steps[2].kind, StepKind::number);
  EXPECT_DOUBLE_EQ(*parsed.steps[2].min, 3.0);
  EXPECT_EQ(parsed.steps[3].kind, StepKind::choice);
  EXPECT_EQ(parsed.steps[4].kind, StepKind::photo);
  EXPECT_FALSE(parsed.steps[4].required);
  EXPECT_EQ(parsed.signoff, SignOff::supervisor);
  EXPECT_EQ(parsed.safety.size(), 1u);
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(StepTags, UntaggedMeasurementsStayNumberStepsNotRequired) {
  const auto parsed = parse_instructions(html("<ol><li>Measure the pump pressure (bar), expected between 3 and 3.5 bar</li>"
                                              "<li>1. [chek] Belt</li></ol>"));
  ASSERT_EQ(parsed.steps.size(), 2u);
  EXPECT_EQ(parsed.steps[0].kind, StepKind::number);
  EXPECT_FALSE(parsed.steps[0].required);
  EXPECT_DOUBLE_EQ(*parsed.steps[0].min, 3);
  EXPECT_EQ(parsed.steps[0].unit, "bar");
  EXPECT_EQ(parsed.steps[1].kind, StepKind::instruction);
  EXPECT_EQ(parsed.steps[1].text, "[chek] Belt");
  ASSERT_EQ(parsed.warnings.size(), 1u);
  EXPECT_EQ(parsed.warnings[0].rfind("step 2: unknown tag", 0), 0u);
}

TEST(StepTags, ProcedureTextIsPlainTextWithLessThanSigns) {
  const auto parsed = parse_procedure_text("[number <= 0.5 mm] Axial play\n[check] Guard fitted & tight\n[sign-off]\n");
  ASSERT_EQ(parsed.steps.size(), 2u);
  EXPECT_DOUBLE_EQ(*parsed.steps[0].max, 0.5);
  EXPECT_EQ(parsed.steps[1].text, "Guard fitted & tight");
  EXPECT_EQ(parsed.signoff, SignOff::technician);
}
