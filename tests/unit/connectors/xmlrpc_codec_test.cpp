// The XML-RPC codec on hand-written documents: every type, every spelling
// Odoo or another XML-RPC server may use, and encode/decode round trips.
#include <limits>

#include <gtest/gtest.h>

#include "json_helpers.hpp"

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/xmlrpc_codec.hpp"

namespace visor::odoo {
namespace {

std::string response_with(std::string_view value_xml) {
  return "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n" + std::string(value_xml) +
         "\n</param>\n</params>\n</methodResponse>\n";
}

Value decode_value(std::string_view value_xml) {
  const auto r = decode_response(response_with(value_xml));
  EXPECT_TRUE(r.ok());
  return r.value;
}

TEST(XmlRpcDecode, Scalars) {
  EXPECT_EQ(decode_value("<value><int>42</int></value>"), 42);
  EXPECT_EQ(decode_value("<value><i4>-7</i4></value>"), -7);
  EXPECT_EQ(decode_value("<value><i8>9007199254740993</i8></value>"), 9007199254740993LL);
  EXPECT_EQ(decode_value("<value><int> +5 </int></value>"), 5);
  EXPECT_EQ(decode_value("<value><boolean>1</boolean></value>"), true);
  EXPECT_EQ(decode_value("<value><boolean>0</boolean></value>"), false);
  EXPECT_EQ(decode_value("<value><double>1.5</double></value>"), 1.5);
  EXPECT_EQ(decode_value("<value><double>-2.5e3</double></value>"), -2500.0);
  EXPECT_TRUE(decode_value("<value><double>3</double></value>").is_double());
  EXPECT_EQ(decode_value("<value><string>Hydraulic press</string></value>"), "Hydraulic press");
  EXPECT_TRUE(decode_value("<value><nil/></value>").is_null());
  EXPECT_TRUE(decode_value("<value><ex:nil/></value>").is_null());
}

TEST(XmlRpcDecode, StringsInEveryForm) {
  EXPECT_EQ(decode_value("<value>untyped text</value>"), "untyped text");
  EXPECT_EQ(decode_value("<value>  kept as is </value>"), "  kept as is ");
  EXPECT_EQ(decode_value("<value></value>"), "");
  EXPECT_EQ(decode_value("<value/>"), "");
  EXPECT_EQ(decode_value("<value><string/></value>"), "");
  EXPECT_EQ(decode_value("<value><string>  spaces  </string></value>"), "  spaces  ");
  EXPECT_EQ(decode_value("<value><string><![CDATA[<p>a & b</p>]]></string></value>"), "<p>a & b</p>");
  EXPECT_EQ(decode_value("<value><string>a &amp; b &lt;c&gt; &#x41;&#66;</string></value>"), "a & b <c> AB");
  EXPECT_EQ(decode_value("<value><string>Prüfung ✓ 設備</string></value>"), "Prüfung ✓ 設備");
  EXPECT_EQ(decode_value("<value><string>line1\r\nline2&#13;</string></value>"), "line1\nline2\r");
}

TEST(XmlRpcDecode, WhitespaceAroundTypedValues) {
  EXPECT_EQ(decode_value("<value>\n  <int>1</int>\n</value>"), 1);
  EXPECT_EQ(decode_value("<value>\n<array>\n<data>\n<value><int>1</int></value>\n</data>\n</array>\n</value>"),
            (Array{1}));
  EXPECT_EQ(decode_value("<value><struct>\n <member>\n <name>a</name>\n <value>x</value>\n</member>\n</struct></value>"),
            (Object{{"a", "x"}}));
}

TEST(XmlRpcDecode, DateTimesBecomeOdooStrings) {
  EXPECT_EQ(decode_value("<value><dateTime.iso8601>20261125T08:30:00</dateTime.iso8601></value>"),
            "2026-11-25 08:30:00");
  EXPECT_EQ(decode_value("<value><dateTime.iso8601>2026-11-25T08:30:00</dateTime.iso8601></value>"),
            "2026-11-25 08:30:00");
  EXPECT_EQ(decode_value("<value><dateTime.iso8601> 20240229T23:59:59 </dateTime.iso8601></value>"),
            "2024-02-29 23:59:59");
}

TEST(XmlRpcDecode, Base64BecomesTheDecodedBytes) {
  EXPECT_EQ(decode_value("<value><base64>SGVsbG8=</base64></value>"), "Hello");
  EXPECT_EQ(decode_value("<value><base64>\nJVBE\nRi0x\nLjQ=\n</base64></value>"), "%PDF-1.4");
  EXPECT_EQ(decode_value("<value><base64></base64></value>"), "");
  const auto binary = decode_value("<value><base64>AP8A</base64></value>");
  EXPECT_EQ(binary.as_string().size(), 3u);
  EXPECT_EQ(std::string_view(binary.as_string()), std::string_view("\x00\xff\x00", 3));
}

TEST(XmlRpcDecode, NestedStructsAndArrays) {
  const auto v = decode_value(
      "<value><struct>"
      "<member><name>ids</name><value><array><data><value><int>1</int></value><value><int>2</int></value>"
      "</data></array></value></member>"
      "<member><name>empty</name><value><array><data/></array></value></member>"
      "<member><name>nested</name><value><struct><member><name>deep</name><value><array><data>"
      "<value><struct/></value></data></array></value></member></struct></value></member>"
      "</struct></value>");
  EXPECT_EQ(v, (Object{{"ids", Array{1, 2}}, {"empty", Array{}}, {"nested", Object{{"deep", Array{Object{}}}}}}));
}

TEST(XmlRpcDecode, RepeatedMemberNameKeepsTheLast) {
  EXPECT_EQ(decode_value("<value><struct><member><name>a</name><value>1</value></member>"
                         "<member><name>a</name><value>2</value></member></struct></value>"),
            (Object{{"a", "2"}}));
}

TEST(XmlRpcDecode, Fault) {
  const auto r = decode_response(encode_fault({2, "The operation cannot be completed"}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.fault->code, 2);
  EXPECT_EQ(r.fault->message, "The operation cannot be completed");
}

TEST(XmlRpcDecode, OtherEncodingDeclarations) {
  const std::string latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodResponse><params><param>"
                             "<value><string>Pr\xfc" "fung</string></value></param></params></methodResponse>";
  EXPECT_EQ(decode_response(latin1).value, "Prüfung");
}

TEST(XmlRpcEncode, CallLayout) {
  const auto xml = encode_call("execute_kw", Array{"db", 2, "key"});
  EXPECT_EQ(xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<methodCall><methodName>execute_kw</methodName><params>"
            "<param><value><string>db</string></value></param>"
            "<param><value><int>2</int></value></param>"
            "<param><value><string>key</string></value></param></params></methodCall>\n");
}

TEST(XmlRpcEncode, IntegersPickIntOrI8) {
  const auto max32 = std::numeric_limits<std::int32_t>::max();
  const auto min32 = std::numeric_limits<std::int32_t>::min();
  EXPECT_NE(encode_response(max32).find("<int>2147483647</int>"), std::string::npos);
  EXPECT_NE(encode_response(min32).find("<int>-2147483648</int>"), std::string::npos);
  EXPECT_NE(encode_response(std::int64_t{max32} + 1).find("<i8>2147483648</i8>"), std::string::npos);
  EXPECT_NE(encode_response(std::int64_t{min32} - 1).find("<i8>-2147483649</i8>"), std::string::npos);
  EXPECT_NE(encode_response(std::uint64_t{5}).find("<int>5</int>"), std::string::npos);
}

TEST(XmlRpcEncode, EscapesText) {
  const auto xml = encode_response(Object{{"a<b>&", "<p>x & y</p>\r\n"}});
  EXPECT_NE(xml.find("<name>a&lt;b&gt;&amp;</name>"), std::string::npos);
  EXPECT_NE(xml.find("<string>&lt;p&gt;x &amp; y&lt;/p&gt;&#13;\n</string>"), std::string::npos);
}

TEST(XmlRpcEncode, RefusesWhatItCannotCarry) {
  EXPECT_THROW(encode_call("m", Array{nullptr}), std::invalid_argument);
  EXPECT_NO_THROW(encode_call("m", Array{nullptr}, {.allow_nil = true}));
  EXPECT_THROW(encode_call("m", Array{"bad \xff utf8"}), std::invalid_argument);
  EXPECT_THROW(encode_call("m", Array{"\xc0\xaf overlong"}), std::invalid_argument);
  EXPECT_THROW(encode_call("m", Array{"\xed\xa0\x80 surrogate"}), std::invalid_argument);
  EXPECT_THROW(encode_call("m", Array{Object{{"k\xff", 1}}}), std::invalid_argument);
  EXPECT_THROW(encode_call("m", Array{"bell \x07"}), std::invalid_argument);
  EXPECT_THROW(encode_call("m", Array{std::numeric_limits<double>::quiet_NaN()}), std::invalid_argument);
  EXPECT_THROW(encode_call("m", Array{std::numeric_limits<double>::infinity()}), std::invalid_argument);
  EXPECT_THROW(encode_call("m", Array{std::numeric_limits<std::uint64_t>::max()}), std::invalid_argument);
  EXPECT_THROW(encode_call("bad name", Array{}), std::invalid_argument);
  EXPECT_THROW(encode_call("", Array{}), std::invalid_argument);
  Value deep = Array{};
  for (int i = 0; i < 100; ++i) deep = Array{deep};
  EXPECT_THROW(encode_call("m", Array{deep}), std::invalid_argument);
}

// What is encoded comes back identical, for every type the encoder writes.
TEST(XmlRpcRoundTrip, EveryType) {
  const Array params{
      nullptr,
      true,
      false,
      0,
      -1,
      std::numeric_limits<std::int32_t>::max(),
      std::int64_t{1} << 40,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(),
      0.0,
      1.5,
      -1e-300,
      0.1 + 0.2,
      1e300,
      "",
      "plain",
      "  spaced  ",
      "<b>&amp;</b> \"quoted\" 'single'",
      "tab\tnewline\ncarriage\r\nreturn",
      "Prüfung ✓ 設備 😀",
      "]]> not a CDATA end",
      Array{},
      Array{1, "two", Array{3.0, Object{}}},
      Object{},
      Object{{"domain", testing::list_of(Array{"write_date", ">=", "2026-11-24 16:24:33"})},
             {"fields", Array{"name", "stage_id"}},
             {"limit", 80},
             {"context", Object{{"lang", "de_DE"}, {"active_test", false}}}},
  };
  const auto call = decode_call(encode_call("execute_kw", params, {.allow_nil = true}));
  EXPECT_EQ(call.method, "execute_kw");
  ASSERT_EQ(call.params.size(), params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    EXPECT_EQ(call.params[i], params[i]) << "param " << i;
    EXPECT_EQ(call.params[i].kind(), params[i].kind()) << "param " << i;
  }
  for (const auto& p : params) {
    const auto back = decode_response(encode_response(p, {.allow_nil = true}));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back.value, p);
  }
}

TEST(XmlRpcRoundTrip, CallWithoutParams) {
  const auto call = decode_call("<methodCall><methodName>version</methodName></methodCall>");
  EXPECT_EQ(call.method, "version");
  EXPECT_TRUE(call.params.empty());
  EXPECT_TRUE(decode_call(encode_call("version", Array{})).params.empty());
}

}  // namespace
}  // namespace visor::odoo
