// Hostile or broken XML-RPC answers: each is a clean OdooError(protocol)
// with a message that says what was wrong, never a crash or a silent value.
#include <gtest/gtest.h>

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/xmlrpc_codec.hpp"

namespace visor::odoo {
namespace {

std::string response_with(std::string_view value_xml) {
  return "<?xml version=\"1.0\"?><methodResponse><params><param>" + std::string(value_xml) +
         "</param></params></methodResponse>";
}

// The decode error message, or "" (and a test failure) when it decoded.
std::string decode_error(std::string_view xml, const DecodeLimits& limits = {}) {
  try {
    decode_response(xml, limits);
  } catch (const OdooError& e) {
    EXPECT_EQ(e.kind(), OdooError::Kind::protocol);
    EXPECT_FALSE(e.retryable());
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << xml.substr(0, 200);
  return "";
}

#define EXPECT_DECODE_ERROR(xml, fragment) \
  EXPECT_NE(decode_error(xml).find(fragment), std::string::npos) << decode_error(xml)

TEST(XmlRpcHostile, BillionLaughsIsRefusedBeforeExpansion) {
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  doc += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">";
  for (int i = 2; i <= 9; ++i) {
    doc += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) doc += "&lol" + std::to_string(i - 1) + ";";
    doc += "\">";
  }
  doc += "]>" + response_with("<value><string>&lol9;</string></value>");
  EXPECT_DECODE_ERROR(doc, "DOCTYPE");
}

TEST(XmlRpcHostile, ExternalEntitiesAreRefused) {
  EXPECT_DECODE_ERROR("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" +
                          response_with("<value>&xxe;</value>"),
                      "DOCTYPE");
  EXPECT_DECODE_ERROR("<!DOCTYPE methodResponse SYSTEM \"http://attacker.example/x.dtd\">" +
                          response_with("<value>1</value>"),
                      "DOCTYPE");
  EXPECT_DECODE_ERROR(response_with("<value>&undeclared;</value>"), "not well-formed");
}

TEST(XmlRpcHostile, DeepNestingHitsTheDepthLimit) {
  std::string open, close;
  for (int i = 0; i < 100000; ++i) {
    open += "<value><array><data>";
    close += "</data></array></value>";
  }
  EXPECT_DECODE_ERROR(response_with(open + close), "nested deeper than");
  EXPECT_DECODE_ERROR(response_with(open), "nested deeper than");  // and unterminated
  // Just inside the limit still decodes.
  std::string ok_open, ok_close;
  for (int i = 0; i < 40; ++i) {
    ok_open += "<value><array><data>";
    ok_close += "</data></array></value>";
  }
  EXPECT_NO_THROW(decode_response(response_with(ok_open + "<value>x</value>" + ok_close)));
}

TEST(XmlRpcHostile, SizeLimit) {
  const auto doc = response_with("<value><string>" + std::string(1000, 'a') + "</string></value>");
  EXPECT_NE(decode_error(doc, DecodeLimits{.max_bytes = 512}).find("exceeds the limit of 512"), std::string::npos);
  EXPECT_NO_THROW(decode_response(doc, DecodeLimits{.max_bytes = 4096}));
}

TEST(XmlRpcHostile, NotXmlOrTruncated) {
  EXPECT_DECODE_ERROR("", "empty document");
  EXPECT_DECODE_ERROR(" \n ", "empty document");
  EXPECT_DECODE_ERROR("<html><body>502 Bad Gateway</body></html>", "unknown element <html>");
  EXPECT_DECODE_ERROR("{\"jsonrpc\": \"2.0\"}", "not well-formed");
  EXPECT_DECODE_ERROR("<methodResponse><params><param><value><int>1</int></value></param></params>",
                      "not well-formed");
  EXPECT_DECODE_ERROR(response_with("<value><string>x</value>"), "not well-formed");
  EXPECT_DECODE_ERROR(response_with("<value>1</value>") + "<junk/>", "not well-formed");
  EXPECT_DECODE_ERROR(std::string("<methodResponse>\0</methodResponse>", 34), "not well-formed");
  EXPECT_DECODE_ERROR("<methodResponse><params><param><value>\xff\xfe</value></param></params></methodResponse>",
                      "not well-formed");
}

TEST(XmlRpcHostile, WrongScalarContents) {
  EXPECT_DECODE_ERROR(response_with("<value><int>abc</int></value>"), "bad integer 'abc'");
  EXPECT_DECODE_ERROR(response_with("<value><int></int></value>"), "bad integer");
  EXPECT_DECODE_ERROR(response_with("<value><int>1.5</int></value>"), "bad integer");
  EXPECT_DECODE_ERROR(response_with("<value><i8>99999999999999999999</i8></value>"), "bad integer");
  EXPECT_DECODE_ERROR(response_with("<value><boolean>2</boolean></value>"), "bad boolean");
  EXPECT_DECODE_ERROR(response_with("<value><boolean>true</boolean></value>"), "bad boolean");
  EXPECT_DECODE_ERROR(response_with("<value><double>nan</double></value>"), "bad double");
  EXPECT_DECODE_ERROR(response_with("<value><double>inf</double></value>"), "bad double");
  EXPECT_DECODE_ERROR(response_with("<value><double>1e999</double></value>"), "bad double");
  EXPECT_DECODE_ERROR(response_with("<value><double>1,5</double></value>"), "bad double");
  EXPECT_DECODE_ERROR(response_with("<value><dateTime.iso8601>2026-11-25 08:30:00</dateTime.iso8601></value>"),
                      "bad dateTime");
  EXPECT_DECODE_ERROR(response_with("<value><dateTime.iso8601>20261325T08:30:00</dateTime.iso8601></value>"),
                      "bad dateTime");
  EXPECT_DECODE_ERROR(response_with("<value><dateTime.iso8601>20250229T08:30:00</dateTime.iso8601></value>"),
                      "bad dateTime");
  EXPECT_DECODE_ERROR(response_with("<value><base64>not base64!</base64></value>"), "bad base64");
  EXPECT_DECODE_ERROR(response_with("<value><base64>SGVsbG8</base64></value>"), "bad base64");
  EXPECT_DECODE_ERROR(response_with("<value><nil>x</nil></value>"), "<nil/> must be empty");
}

TEST(XmlRpcHostile, WrongStructure) {
  EXPECT_DECODE_ERROR(response_with("<value><bogus>1</bogus></value>"), "unknown element <bogus>");
  EXPECT_DECODE_ERROR(response_with("<value><int type=\"x\">1</int></value>"), "must not have attributes");
  EXPECT_DECODE_ERROR(response_with("<value><int>1</int><int>2</int></value>"), "more than one typed element");
  EXPECT_DECODE_ERROR(response_with("<value>text<int>1</int></value>"), "mixes text");
  EXPECT_DECODE_ERROR(response_with("<value><int>1</int>text</value>"), "mixes text");
  EXPECT_DECODE_ERROR(response_with("<value><int><int>1</int></int></value>"), "not allowed inside <int>");
  EXPECT_DECODE_ERROR(response_with("<value><struct>text</struct></value>"), "unexpected text inside <struct>");
  EXPECT_DECODE_ERROR(response_with("<value><struct><member><value>1</value></member></struct></value>"),
                      "without <name>");
  EXPECT_DECODE_ERROR(response_with("<value><struct><member><name>a</name></member></struct></value>"),
                      "without <value>");
  EXPECT_DECODE_ERROR(response_with("<value><array><value>1</value></array></value>"), "not allowed inside <array>");
  EXPECT_DECODE_ERROR(response_with("<value><array></array></value>"), "without <data>");
  EXPECT_DECODE_ERROR(response_with("<int>1</int>"), "not allowed inside <param>");
  EXPECT_DECODE_ERROR(response_with("<value>1</value><value>2</value>"), "more than one element");
  EXPECT_DECODE_ERROR("<methodResponse><params></params></methodResponse>", "exactly one <param>");
  EXPECT_DECODE_ERROR("<methodResponse><params><param><value>1</value></param><param><value>2</value></param>"
                      "</params></methodResponse>",
                      "exactly one <param>");
  EXPECT_DECODE_ERROR("<methodResponse></methodResponse>", "empty <methodResponse>");
  EXPECT_DECODE_ERROR("<methodCall><methodName>x</methodName></methodCall>", "unexpected root element");
}

TEST(XmlRpcHostile, MalformedFaults) {
  EXPECT_DECODE_ERROR("<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int>"
                      "</value></member></struct></value></fault></methodResponse>",
                      "faultString");
  EXPECT_DECODE_ERROR("<methodResponse><fault><value><string>oops</string></value></fault></methodResponse>",
                      "faultCode");
  EXPECT_DECODE_ERROR("<methodResponse><fault><value><struct><member><name>faultCode</name><value>1</value>"
                      "</member><member><name>faultString</name><value>x</value></member></struct></value></fault>"
                      "</methodResponse>",
                      "faultCode");
}

TEST(XmlRpcHostile, ErrorMessagesQuoteInputSafely) {
  const auto message = decode_error(response_with("<value><int>\x01\x02 evil</int></value>"));
  EXPECT_TRUE(message.find('\x01') == std::string::npos);
}

}  // namespace
}  // namespace visor::odoo
