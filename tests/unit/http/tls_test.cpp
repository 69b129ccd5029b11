// HTTPS with a throw-away self-signed certificate made here with OpenSSL.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "client.hpp"
#include "fixture.hpp"

namespace visor::http {
namespace {
namespace fs = std::filesystem;

// Writes a P-256 key and a one-hour self-signed certificate for localhost.
void make_self_signed(const fs::path& cert_file, const fs::path& key_file) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ASSERT_NE(key, nullptr);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  ASSERT_GT(X509_sign(cert, key, EVP_sha256()), 0);
  FILE* kf = std::fopen(key_file.c_str(), "w");
  PEM_write_PrivateKey(kf, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(kf);
  FILE* cf = std::fopen(cert_file.c_str(), "w");
  PEM_write_X509(cf, cert);
  std::fclose(cf);
  X509_free(cert);
  EVP_PKEY_free(key);
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("visor-tls-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    make_self_signed(dir / "cert.pem", dir / "key.pem");
    client = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(client, SSL_VERIFY_NONE, nullptr);
  }
  void TearDown() override {
    SSL_CTX_free(client);
    fs::remove_all(dir);
  }
  ServerOptions tls_options(fs::path cert, fs::path key) {
    auto o = test::test_options();
    o.tls = TlsOptions{cert.string(), key.string()};
    return o;
  }

  fs::path dir;
  SSL_CTX* client = nullptr;
};

Response hello(Request& req) { return Response::text(200, req.tls ? "secure" : "plain"); }

TEST_F(TlsTest, ServesHttpsWithHsts) {
  test::TestServer server(tls_options(dir / "cert.pem", dir / "key.pem"), hello);
  test::Conn c(server.port(), client);
  ASSERT_TRUE(c.send(test::request_text("GET", "/")));
  const auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "secure");
  EXPECT_EQ(r->header("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_EQ(r->header("X-Content-Type-Options"), "nosniff");
}

TEST_F(TlsTest, RefusesPlainHttpAndOldProtocols) {
  test::TestServer server(tls_options(dir / "cert.pem", dir / "key.pem"), hello);
  test::Conn plain(server.port());
  ASSERT_TRUE(plain.send(test::request_text("GET", "/")));
  EXPECT_FALSE(plain.read_reply(test::in(std::chrono::seconds(3))).has_value());

  SSL_CTX* old = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_security_level(old, 0);
  SSL_CTX_set_max_proto_version(old, TLS1_1_VERSION);
  EXPECT_THROW(test::Conn(server.port(), old), std::runtime_error);
  SSL_CTX_free(old);
}

TEST_F(TlsTest, StartFailsClearlyOnUnreadableMaterial) {
  metrics::Registry registry;
  Server missing(tls_options(dir / "nope.pem", dir / "key.pem"), hello, registry);
  try {
    missing.start();
    FAIL() << "start() accepted a missing certificate";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nope.pem"), std::string::npos) << e.what();
  }
  std::FILE* f = std::fopen((dir / "garbage.pem").c_str(), "w");
  std::fputs("not a key", f);
  std::fclose(f);
  Server garbage(tls_options(dir / "cert.pem", dir / "garbage.pem"), hello, registry);
  EXPECT_THROW(garbage.start(), std::runtime_error);
}

}  // namespace
}  // namespace visor::http
