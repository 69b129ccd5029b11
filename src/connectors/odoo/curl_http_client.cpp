// HttpClient over libcurl: a small pool of easy handles, each keeping its
// connection alive, so that consecutive calls skip the TCP/TLS handshake.
#include <algorithm>
#include <cctype>
#include <mutex>

#include <curl/curl.h>

#include "connectors/odoo/errors.hpp"
#include "connectors/odoo/http_client.hpp"

namespace visor::odoo {
namespace {

void global_init_once() {
  static std::once_flag once;  // curl_global_init is not thread-safe on old libcurl
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Exchange {
  std::size_t max_bytes = 0;
  bool too_large = false;
  HttpResponse response;
};

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  return std::equal(name.begin(), name.end(), line.begin(),
                    [](char lower, char c) { return std::tolower(static_cast<unsigned char>(c)) == lower; });
}

std::string header_value(std::string_view line, std::size_t name_len) {
  auto v = line.substr(name_len);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
  return std::string(v);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& ex = *static_cast<Exchange*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {  // a new response (after 100 Continue or a proxy's CONNECT)
    ex.response.content_type.clear();
    ex.response.www_authenticate.clear();
    ex.response.location.clear();
    ex.response.date.clear();
  } else if (iequals_prefix(line, "content-type:")) {
    ex.response.content_type = header_value(line, 13);
  } else if (iequals_prefix(line, "www-authenticate:")) {
    ex.response.www_authenticate = header_value(line, 17);
  } else if (iequals_prefix(line, "location:")) {
    ex.response.location = header_value(line, 9);
  } else if (iequals_prefix(line, "date:")) {
    ex.response.date = header_value(line, 5);
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& ex = *static_cast<Exchange*>(user);
  const auto n = size * count;
  if (ex.response.body.size() + n > ex.max_bytes) {
    ex.too_large = true;
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  ex.response.body.append(data, n);
  return n;
}

struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Headers = std::unique_ptr<curl_slist, SlistFree>;

void add_header(Headers& list, const std::string& line) {
  auto* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) throw std::bad_alloc();
  (void)list.release();
  list.reset(grown);
}

[[noreturn]] void throw_curl_error(CURLcode code, const char* detail, const HttpClientOptions& o, bool too_large) {
  std::string what = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  OdooError::Details d{.kind = OdooError::Kind::transport};
  switch (code) {
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      if (too_large || code == CURLE_FILESIZE_EXCEEDED) {
        d.kind = OdooError::Kind::protocol;
        d.message = "the response exceeds the limit of " + std::to_string(o.max_response_bytes) + " bytes";
        break;
      }
      d.message = "could not store the response: " + what;
      break;
    case CURLE_OPERATION_TIMEDOUT:
      d.message = "no complete answer within the timeout (connect " + std::to_string(o.connect_timeout.count()) +
                  " ms, call " + std::to_string(o.timeout.count()) + " ms): " + what;
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: d.message = "host name not found: " + what; break;
    case CURLE_COULDNT_CONNECT: d.message = "connection failed: " + what; break;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE: d.message = "connection dropped: " + what; break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      d.message = "TLS certificate not accepted: " + what;
      d.retryable = false;
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      d.message = "unusable URL: " + what;
      d.retryable = false;
      break;
    default: d.message = what; break;
  }
  throw OdooError(std::move(d));
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpClientOptions options) : options_(std::move(options)) { global_init_once(); }

  ~CurlHttpClient() override {
    for (auto* h : idle_) curl_easy_cleanup(h);
  }

  HttpResponse send(const HttpRequest& request) override {
    CURL* handle = acquire();
    struct Release {
      CurlHttpClient& self;
      CURL* h;
      ~Release() { self.release(h); }
    } release{*this, handle};

    Exchange ex{.max_bytes = options_.max_response_bytes};
    char error[CURL_ERROR_SIZE] = {};
    Headers headers;
    configure(handle, request, ex, error, headers);
    const CURLcode rc = curl_easy_perform(handle);
    if (rc != CURLE_OK) throw_curl_error(rc, error, options_, ex.too_large);
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    ex.response.status = static_cast<int>(status);
    return std::move(ex.response);
  }

 private:
  void configure(CURL* h, const HttpRequest& r, Exchange& ex, char* error, Headers& headers) const {
    curl_easy_setopt(h, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(h, CURLOPT_VERBOSE, 0L);  // verbose output would print the Authorization header
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, r.replay_safe ? 0L : 1L);  // see HttpRequest::replay_safe
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_PROXY, options_.proxy.c_str());  // "" = no proxy, environment ignored
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Visor/" VISOR_VERSION);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &ex);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &ex);

    if (r.method == "GET") {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, r.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      add_header(headers, "Content-Type: " + r.content_type);
      add_header(headers, "Expect:");  // no 100-continue round trip for large bodies
    }
    for (const auto& [name, value] : r.headers) add_header(headers, name + ": " + value);
    if (r.bearer) {
      std::string line = "Authorization: bearer ";
      line.append(r.bearer->reveal());
      const Secret wiped_on_exit(std::move(line));  // curl keeps its own copy
      add_header(headers, std::string(wiped_on_exit.reveal()));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  }

  CURL* acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        CURL* h = idle_.back();
        idle_.pop_back();
        curl_easy_reset(h);  // options cleared; live connections and caches kept
        return h;
      }
    }
    CURL* h = curl_easy_init();
    if (h == nullptr) throw OdooError(OdooError::Kind::transport, "libcurl could not create a handle");
    return h;
  }

  void release(CURL* h) {
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);  // the list dies with the call
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    std::lock_guard lock(mutex_);
    if (idle_.size() < options_.max_idle_connections) {
      idle_.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }

  HttpClientOptions options_;
  std::mutex mutex_;
  std::vector<CURL*> idle_;
};

}  // namespace

HttpClientOptions http_client_options(const ConnectionOptions& o) {
  return HttpClientOptions{.connect_timeout = o.connect_timeout,
                           .timeout = o.timeout,
                           .verify_tls = o.verify_tls,
                           .ca_file = o.ca_file,
                           .proxy = o.proxy,
                           .max_response_bytes = o.max_response_bytes};
}

std::unique_ptr<HttpClient> make_curl_http_client(const HttpClientOptions& options) {
  return std::make_unique<CurlHttpClient>(options);
}

}  // namespace visor::odoo
