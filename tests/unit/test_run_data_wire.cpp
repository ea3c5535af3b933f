#include <catch2/catch.hpp>

#include <cstring>

#include "report/run_data_wire.hpp"

using namespace juggle::results;
using namespace juggle::report;

namespace {

RunData sample() {
  RunData run;
  run.path = "results/a b\n\xff.h5";
  run.attributes = {{"subcommand", "count"}, {"mpi_ranks", "3"}, {"empty", ""}};
  run.stages = {"walk", "count", ""};
  run.steps = {"count"};
  run.events = {{0, 1, 2, 0, 0.25, 1.5, 1u << 31, 7}, {2, 0, 1, 0, -0.0, 1e300, ~0ull, 0}};
  run.bench = {{"case", "s"}, {true, false}, {{"count", "0.5"}, {"tokenize", ""}}};
  run.bench_targets = {{"target"}, {true}, {}};
  return run;
}

bool same(const RunData& a, const RunData& b) {
  return a.path == b.path && a.attributes == b.attributes && a.stages == b.stages && a.steps == b.steps &&
         a.events.size() == b.events.size() &&
         (a.events.empty() || std::memcmp(a.events.data(), b.events.data(), a.events.size() * sizeof(Event)) == 0) &&
         a.bench.heads == b.bench.heads && a.bench.text == b.bench.text && a.bench.rows == b.bench.rows &&
         a.bench_targets.heads == b.bench_targets.heads && a.bench_targets.text == b.bench_targets.text &&
         a.bench_targets.rows == b.bench_targets.rows;
}

}  // namespace

TEST_CASE("a RunData survives encoding byte for byte", "[results][wire]") {
  const RunData run = sample();
  const std::optional<RunData> back = decode_run_data(encode_run_data(run));
  REQUIRE(back);
  CHECK(same(run, *back));
  const std::optional<RunData> empty = decode_run_data(encode_run_data(RunData{}));
  REQUIRE(empty);
  CHECK(same(RunData{}, *empty));
}

TEST_CASE("a message cut short or too long is refused, never read past", "[results][wire][errors]") {
  const std::string bytes = encode_run_data(sample());
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    INFO("cut at " << cut << " of " << bytes.size());
    CHECK_FALSE(decode_run_data(std::string_view(bytes).substr(0, cut)));
  }
  CHECK_FALSE(decode_run_data(bytes + '\0'));
  // A length field claiming more than the message holds.
  std::string huge = bytes;
  const std::size_t claim = std::size_t{1} << 60;
  std::memcpy(huge.data(), &claim, sizeof claim);
  CHECK_FALSE(decode_run_data(huge));
}

TEST_CASE("a message with any byte changed is decoded or refused, never misread", "[results][wire][errors]") {
  // Under the sanitizers (make test-asan) this is what catches a decoder
  // that loads a byte into a bool or a length past the end.
  const std::string bytes = encode_run_data(sample());
  std::size_t decoded = 0;
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    for (const unsigned char value : {0x00, 0x01, 0x06, 0x7f, 0xff}) {
      std::string changed = bytes;
      changed[at] = static_cast<char>(value);
      if (const std::optional<RunData> run = decode_run_data(changed)) {
        ++decoded;
        for (const bool text : run->bench.text) CHECK((text == true || text == false));
      }
    }
  }
  CHECK(decoded > 0);  // changes inside strings and numbers decode
}
