#pragma once
// A new, empty database on the test cluster (VISOR_TEST_PG_URL, a superuser
// that may create databases), dropped at the end; url() is empty when the
// variable is not set.
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <cstdlib>
#include <string>

#include "storage/postgres/pg.hpp"

namespace visor::opstest {

class Database {
 public:
  explicit Database(const std::string& name) : name_(name) {
    const char* base = std::getenv("VISOR_TEST_PG_URL");
    base_ = base ? base : "";
    if (base_.empty()) return;
    boost::urls::url u(*boost::urls::parse_uri(base_));
    u.set_path("/" + name_);
    url_ = std::string(u.buffer());
    storage::postgres::Connection admin(base_);
    admin.exec("DROP DATABASE IF EXISTS " + name_);
    admin.exec("CREATE DATABASE " + name_);
  }
  ~Database() {
    if (base_.empty()) return;
    try {
      storage::postgres::Connection admin(base_);
      admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  const std::string& url() const { return url_; }

 private:
  std::string name_, base_, url_;
};

}  // namespace visor::opstest
