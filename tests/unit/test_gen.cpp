#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "count/gzip_line_counter.hpp"
#include "gen/corpus_plan.hpp"
#include "gen/write_corpus.hpp"
#include "temp_dir.hpp"

using namespace juggle;
namespace fs = std::filesystem;

namespace {
std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("the corpus is the same bytes for any thread count", "[gen]") {
  test::TempDir a, b;
  gen::CorpusSpec spec;
  spec.files = 9;
  spec.total_bytes = 3 << 20;
  spec.seed = 11;
  spec.write_txt = true;
  const auto sa = gen::write_corpus(spec, a.path().string(), 1);
  const auto sb = gen::write_corpus(spec, b.path().string(), 3);
  REQUIRE(sa.lines == sb.lines);
  for (const auto& f : sa.files) {
    CHECK(read_all(a.path() / (f.stem + ".gz")) == read_all(b.path() / (f.stem + ".gz")));
    CHECK(read_all(a.path() / (f.stem + ".txt")) == read_all(b.path() / (f.stem + ".txt")));
  }
  CHECK(read_all(a.path() / gen::kManifestName) == read_all(b.path() / gen::kManifestName));
  spec.seed = 12;
  test::TempDir c;
  CHECK(gen::write_corpus(spec, c.path().string(), 2).lines != sa.lines);
}

TEST_CASE("the manifest is what the counter finds including members and final newlines", "[gen][count]") {
  test::TempDir d;
  gen::CorpusSpec spec;
  spec.files = 24;
  spec.total_bytes = 4 << 20;
  spec.seed = 5;
  spec.write_txt = true;
  const auto summary = gen::write_corpus(spec, d.path().string(), 2);
  count::CountWorkspace ws(gzip::default_backend());
  bool saw_multi = false, saw_unterminated = false, saw_empty = false, saw_long_line = false;
  for (const auto& f : summary.files) {
    INFO(f.stem);
    const auto c = count::count_gzip_file((d.path() / (f.stem + ".gz")).string(), ws);
    const std::string text = read_all(d.path() / (f.stem + ".txt"));
    CHECK(c.status == gzip::GzipStatus::ok);
    CHECK(c.lines == f.lines);
    CHECK(c.bytes_out == f.text_bytes);
    CHECK(text.size() == f.text_bytes);
    CHECK(c.members == f.members);
    CHECK(c.unterminated == (!f.final_newline && f.text_bytes > 0));
    saw_multi = saw_multi || f.members > 1;
    saw_unterminated = saw_unterminated || c.unterminated;
    saw_empty = saw_empty || f.text_bytes == 0;
    std::size_t longest = 0, run = 0;
    for (char ch : text) run = ch == '\n' ? (longest = std::max(longest, run), 0) : run + 1;
    saw_long_line = saw_long_line || longest > 8192;
  }
  CHECK(saw_multi);
  CHECK(saw_unterminated);
  CHECK(saw_empty);
  CHECK(saw_long_line);
}
