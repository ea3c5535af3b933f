// The pieces behind count's and tokenize's command-line conventions: lists
// of names (--files-from), "-" in a walk, the progress figures and line,
// and the JSON summary's object.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "cli/json_object.hpp"
#include "cli/progress_line.hpp"
#include "files/name_list.hpp"
#include "files/walk.hpp"
#include "pipeline/stage_progress.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using juggle::files::read_name_list;
using juggle::files::split_name_list;
using Names = std::vector<std::string>;

TEST_CASE("a list of names splits on its separator and skips empty entries", "[files][name_list]") {
  CHECK(split_name_list("a.gz\nb c.gz\n\nd\r\n", '\n') == Names{"a.gz", "b c.gz", "d\r"});
  CHECK(split_name_list("no final newline", '\n') == Names{"no final newline"});
  CHECK(split_name_list(std::string("x\ny\0z w\0\0", 9), '\0') == Names{"x\ny", "z w"});
  CHECK(split_name_list("", '\n').empty());
}

TEST_CASE("a list file is read whole, and a missing one or NULs without --null are refused", "[files][name_list]") {
  juggle::test::TempDir tmp;
  const std::string list = (tmp.path() / "list").string();
  std::ofstream(list) << "one\ntwo\n";
  CHECK(read_name_list(list, '\n') == Names{"one", "two"});
  std::ofstream(list, std::ios::binary) << std::string("one\0two\0", 8);
  CHECK(read_name_list(list, '\0') == Names{"one", "two"});
  CHECK_THROWS_WITH(read_name_list(list, '\n'), Catch::Contains("needs --null") && Catch::StartsWith(list));
  CHECK_THROWS_WITH(read_name_list(list + ".missing", '\n'), list + ".missing: No such file or directory");
  CHECK_THROWS_WITH(read_name_list(tmp.path().string(), '\n'), tmp.path().string() + ": Is a directory");
}

TEST_CASE("the walk takes - as standard input, unopened, in its place", "[files][walk]") {
  juggle::test::TempDir tmp;
  const fs::path a = tmp.path() / "a.gz";
  std::ofstream(a) << "x";
  const auto files = juggle::files::walk_inputs({a.string(), "-"}, {"*.gz"});
  REQUIRE(files.size() == 2);
  CHECK_FALSE(files[0].standard_input);
  CHECK((files[1].path == "-" && files[1].standard_input && files[1].problem.empty()));
}

TEST_CASE("progress counts queued pieces, finished ones here and other ranks' reports", "[pipeline][progress]") {
  using juggle::pipeline::Piece;
  juggle::pipeline::StageProgress progress(3);
  progress.queued({Piece{0, 0, UINT64_MAX, 100}, Piece{1, 0, UINT64_MAX, 300}});
  progress.finished(Piece{0, 0, UINT64_MAX, 100});
  Piece block{0, 0, 1, 50};
  block.flags = juggle::pipeline::kTextBlock;
  progress.finished(block);  // part of its file's piece
  progress.reported(2, {1, 300});
  progress.reported(7, {9, 9});  // no such rank
  auto s = progress.snapshot();
  CHECK((s.done.pieces == 2 && s.done.weight == 400 && s.queued.pieces == 2 && s.queued.weight == 400));
  CHECK(s.listing);
  CHECK(juggle::cli::progress_text("count", s, 1.25) == "count: 2 of 2+ pieces done, 1.2 s");
  progress.sources_done();
  progress.reported(2, {0, 0});
  s = progress.snapshot();
  CHECK(juggle::cli::progress_text("count", s, 2) == "count: 25% of the work, 1 of 2 pieces done, 2.0 s");
}

TEST_CASE("a JSON summary has bare numbers, escaped strings and null for what is not finite", "[cli][json]") {
  juggle::cli::JsonObject inner;
  inner.number("n", std::uint64_t{18446744073709551615u}).number("ok", true);
  juggle::cli::JsonObject json;
  json.text("path", "a \"b\"\n").number("x", 0.5).number("bad", std::nan("")).object("inner", inner);
  json.array("top", {juggle::cli::JsonObject().number("count", -3)}).null("results");
  CHECK(json.str() ==
        "{\"path\": \"a \\\"b\\\"\\n\", \"x\": 0.5, \"bad\": null, \"inner\": {\"n\": 18446744073709551615, "
        "\"ok\": true}, \"top\": [{\"count\": -3}], \"results\": null}");
}
