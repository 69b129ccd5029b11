#include "api/json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

using visor::api::JsonWriter;

TEST(JsonWriter, NestsAndSeparates) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("a").number(1).key("b").begin_array().number(-2).boolean(true).null().end_array();
  w.key("c").begin_object().key("d").string("x").end_object().key("e").raw("[1,2]").end_object();
  EXPECT_EQ(out, R"({"a":1,"b":[-2,true,null],"c":{"d":"x"},"e":[1,2]})");
}

TEST(JsonWriter, EscapesEverythingJsonRequires) {
  std::string out;
  JsonWriter w(out);
  const std::string nasty = std::string("quote\" back\\ nl\n tab\t cr\r bell\x07 nul") + '\0' + " é ⚠ '; DROP TABLE";
  w.begin_array().string(nasty).end_array();
  const auto parsed = boost::json::parse(out);
  EXPECT_EQ(parsed.as_array()[0].as_string(), nasty);
  EXPECT_NE(out.find("\\u0007"), std::string::npos);
  EXPECT_NE(out.find("\\u0000"), std::string::npos);
}
