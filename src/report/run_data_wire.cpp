#include "report/run_data_wire.hpp"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace juggle::report {
namespace {

static_assert(std::is_trivially_copyable_v<results::Event>);

class Writer {
 public:
  void count(std::size_t n) { raw(&n, sizeof n); }
  void text(std::string_view s) {
    count(s.size());
    raw(s.data(), s.size());
  }
  void texts(const std::vector<std::string>& v) {
    count(v.size());
    for (const std::string& s : v) text(s);
  }
  void raw(const void* p, std::size_t n) {
    if (n > 0) out.append(static_cast<const char*>(p), n);  // an empty vector's data() may be null
  }
  std::string out;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool count(std::size_t& n) { return raw(&n, sizeof n); }
  bool text(std::string& s) {
    std::size_t n = 0;
    if (!count(n) || n > in_.size()) return false;
    s.assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  bool texts(std::vector<std::string>& v) {
    std::size_t n = 0;
    if (!count(n) || n > in_.size() / sizeof(std::size_t)) return false;  // each string takes a length at least
    v.resize(n);
    for (std::string& s : v)
      if (!text(s)) return false;
    return true;
  }
  bool raw(void* p, std::size_t n) {
    if (n == 0) return true;
    if (n > in_.size()) return false;
    std::memcpy(p, in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  [[nodiscard]] std::size_t left() const { return in_.size(); }

 private:
  std::string_view in_;
};

void put_table(Writer& w, const results::TextTable& t) {
  w.texts(t.heads);
  w.count(t.text.size());
  for (const bool b : t.text) {
    const std::uint8_t byte = b ? 1 : 0;
    w.raw(&byte, 1);
  }
  w.count(t.rows.size());
  for (const auto& row : t.rows) w.texts(row);
}

bool get_table(Reader& r, results::TextTable& t) {
  std::size_t n = 0;
  if (!r.texts(t.heads) || !r.count(n) || n > r.left()) return false;
  t.text.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t byte = 0;  // a byte, not a bool: a bool may only hold 0 or 1
    if (!r.raw(&byte, 1) || byte > 1) return false;
    t.text[i] = byte == 1;
  }
  if (!r.count(n) || n > r.left() / sizeof(std::size_t)) return false;
  t.rows.resize(n);
  for (auto& row : t.rows)
    if (!r.texts(row)) return false;
  return true;
}

}  // namespace

std::string encode_run_data(const results::RunData& run) {
  Writer w;
  w.text(run.path);
  w.count(run.attributes.size());
  for (const auto& [name, value] : run.attributes) {
    w.text(name);
    w.text(value);
  }
  w.texts(run.stages);
  w.texts(run.steps);
  w.count(run.events.size());
  w.raw(run.events.data(), run.events.size() * sizeof(results::Event));
  put_table(w, run.bench);
  put_table(w, run.bench_targets);
  return std::move(w.out);
}

std::optional<results::RunData> decode_run_data(std::string_view bytes) {
  Reader r(bytes);
  results::RunData run;
  std::size_t n = 0;
  if (!r.text(run.path) || !r.count(n)) return std::nullopt;
  for (std::size_t i = 0; i < n; ++i) {
    std::string name, value;
    if (!r.text(name) || !r.text(value)) return std::nullopt;
    run.attributes.emplace(std::move(name), std::move(value));
  }
  if (!r.texts(run.stages) || !r.texts(run.steps) || !r.count(n) || n > r.left() / sizeof(results::Event)) return std::nullopt;
  run.events.resize(n);
  if (!r.raw(run.events.data(), n * sizeof(results::Event))) return std::nullopt;
  if (!get_table(r, run.bench) || !get_table(r, run.bench_targets) || r.left() != 0) return std::nullopt;
  return run;
}

}  // namespace juggle::report
