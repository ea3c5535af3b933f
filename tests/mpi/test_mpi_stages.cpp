#include <mpi.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <mutex>
#include <numeric>
#include <thread>
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "cli/app.hpp"
#include "pipeline/exit_status.hpp"
#include "gen/write_corpus.hpp"
#include "mpi_support.hpp"
#include "parallel/collectives.hpp"
#include "parallel/messages.hpp"
#include "parallel/shared_file.hpp"
#include "parallel/traffic.hpp"
#include "pipeline/engine.hpp"
#include "tokenize/piece_reader.hpp"
#include "tokenize/vocabulary.hpp"

using namespace juggle;
namespace fs = std::filesystem;

using mpi_test::SharedDir;
using mpi_test::world_rank;
using mpi_test::world_size;

TEST_CASE("broadcast and gather keep order and content", "[mpi][parallel]") {
  std::vector<std::string> names;
  if (world_rank() == 0) names = {"a", "", std::string("nul\0byte", 8), "ü"};
  parallel::broadcast_strings(names, 0);
  REQUIRE(names.size() == 4);
  CHECK(names[2] == std::string("nul\0byte", 8));
  std::vector<std::int64_t> mine(static_cast<std::size_t>(world_rank()) + 1, world_rank());
  const auto all = parallel::gather_records<std::int64_t>(mine, 0);
  if (world_rank() == 0) {
    std::vector<std::int64_t> expected;
    for (int r = 0; r < world_size(); ++r) expected.insert(expected.end(), static_cast<std::size_t>(r) + 1, r);
    CHECK(all == expected);
  } else {
    CHECK(all.empty());
  }
}

namespace {

// Bytes rank `from` sends rank `to` in the exchange test: uneven lengths
// (some empty), content naming sender, receiver and position.
std::vector<char> pair_bytes(int from, int to) {
  const std::size_t n = static_cast<std::size_t>((from * 7 + to * 3) % 11 + from * to * 5 + (from % 3) * 3001);
  std::vector<char> bytes(n);
  for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>(from * 31 + to * 17 + static_cast<int>(i));
  return bytes;
}

}  // namespace

// Under ctest also with JUGGLE_MPI_ROUND_BYTES=4099: byte collectives then
// take several rounds (parts of up to 9 KB here), each under the limit, and
// must deliver the same.
TEST_CASE("exchange, all-gather and broadcast deliver every byte in rank order", "[mpi][parallel]") {
  const int rank = world_rank();
  const int size = world_size();
  std::vector<std::vector<char>> out;
  for (int to = 0; to < size; ++to) out.push_back(pair_bytes(rank, to));
  std::vector<char> expected;
  for (int from = 0; from < size; ++from) {
    const std::vector<char> part = pair_bytes(from, rank);
    expected.insert(expected.end(), part.begin(), part.end());
  }
  CHECK(parallel::exchange_bytes(out) == expected);

  const std::vector<char> mine = pair_bytes(rank, rank + 1);
  std::vector<char> everyone;
  for (int r = 0; r < size; ++r) {
    const std::vector<char> part = pair_bytes(r, r + 1);
    everyone.insert(everyone.end(), part.begin(), part.end());
  }
  CHECK(parallel::all_gather_bytes(mine) == everyone);

  std::vector<char> shared = rank == 0 ? pair_bytes(9, 9) : std::vector<char>(3, 'x');
  parallel::broadcast_bytes(shared, 0);
  CHECK(shared == pair_bytes(9, 9));
}

// Property: parallel/traffic counts what a rank hands to MPI for other
// ranks: an all-to-all's parts for the others (not its own), a broadcast's
// bytes on the root only, one call per collective on every rank.
TEST_CASE("traffic counts a rank's bytes for other ranks", "[mpi][parallel]") {
  const int rank = world_rank();
  const int size = world_size();
  std::vector<std::vector<char>> out(static_cast<std::size_t>(size));
  std::uint64_t for_others = 0;
  for (int to = 0; to < size; ++to) {
    out[static_cast<std::size_t>(to)] = std::vector<char>(static_cast<std::size_t>(100 * (rank + 1) + to), 'a');
    if (to != rank) for_others += out[static_cast<std::size_t>(to)].size();
  }
  const parallel::Traffic before = parallel::traffic_so_far();
  (void)parallel::exchange_bytes(out);
  const parallel::Traffic after_exchange = parallel::traffic_so_far();
  // The sizes (8 B for each other rank), the largest part (8 B), one round
  // of parts (each under the 4099 B rounds of one ctest run).
  CHECK(after_exchange.collectives - before.collectives == 3);
  CHECK(after_exchange.collective_bytes - before.collective_bytes ==
        8 * static_cast<std::uint64_t>(size - 1) + 8 + for_others);
  std::vector<char> shared(rank == 0 ? 3000 : 0, 'b');  // one round, also in rounds of 4099 B
  parallel::broadcast_bytes(shared, 0);
  const parallel::Traffic after_broadcast = parallel::traffic_so_far();
  CHECK(after_broadcast.collectives - after_exchange.collectives == 2);  // the size, then one round
  CHECK(after_broadcast.collective_bytes - after_exchange.collective_bytes == (rank == 0 ? 8u + 3000u : 0u));
  CHECK(after_broadcast.messages == before.messages);
}

// Property: a message arrives whole and unchanged whatever its size; under
// ctest also with rounds of 4099 bytes, where the larger ones travel as one
// element of a derived type (the path of messages over 1 GiB).
TEST_CASE("messages of any size arrive whole", "[mpi][parallel]") {
  if (world_size() < 2) return;
  constexpr int kTag = 0x7e57;
  const std::vector<std::size_t> sizes = {0, 1, 4098, 4099, 4100, 8198, 20000};
  const auto bytes_of = [](std::size_t n) {
    std::vector<char> bytes(n);
    for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>(i * 7 + n);
    return bytes;
  };
  if (world_rank() == 1)
    for (const std::size_t n : sizes) parallel::send_message(0, kTag, bytes_of(n));
  if (world_rank() == 0) {
    const std::atomic<bool> stop{false};
    for (const std::size_t n : sizes) {
      const std::optional<parallel::Message> m = parallel::await_message(1, kTag, stop);
      REQUIRE(m);
      CHECK(m->source == 1);
      CHECK(m->bytes == bytes_of(n));
    }
  }
  parallel::barrier();
}

// Property: a file written in rank order holds each rank's bytes at the sum
// of the sizes before it, whatever pieces the writes were cut into (under
// ctest also writes of at most 4099 bytes) and over an older, longer file.
TEST_CASE("a file written in rank order holds every rank's bytes in order", "[mpi][parallel]") {
  SharedDir dir;
  const std::string path = (dir.path() / "ordered.bin").string();
  const auto bytes_of = [](int rank) {
    std::vector<char> bytes(static_cast<std::size_t>(rank == 1 ? 0 : 5000 * (rank + 1)));
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + (i + rank) % 26);
    return bytes;
  };
  if (world_rank() == 0) std::ofstream(path) << std::string(100000, 'z');
  parallel::barrier();
  CHECK(parallel::write_in_rank_order(path, bytes_of(world_rank())).empty());
  std::vector<char> expected;
  for (int r = 0; r < world_size(); ++r) {
    const std::vector<char> part = bytes_of(r);
    expected.insert(expected.end(), part.begin(), part.end());
  }
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(got == expected);
}

namespace {

// x -> a x + b (mod 2^64): composing them is associative and not
// commutative, so a wrong order shows.
struct Affine {
  std::uint64_t a = 1, b = 0;
};
Affine then(const Affine& earlier, const Affine& later) { return {later.a * earlier.a, later.a * earlier.b + later.b}; }
void combine_affine(const char* earlier, char* later, std::size_t items) {
  for (std::size_t i = 0; i < items; ++i) {
    Affine e, l;
    std::memcpy(&e, earlier + i * sizeof(Affine), sizeof(Affine));
    std::memcpy(&l, later + i * sizeof(Affine), sizeof(Affine));
    l = then(e, l);
    std::memcpy(later + i * sizeof(Affine), &l, sizeof(Affine));
  }
}
Affine affine_of(int rank, std::size_t item) {
  return {3 + 2 * static_cast<std::uint64_t>(rank) + item, 7 * static_cast<std::uint64_t>(rank) + 11 * item + 1};
}
// 600 items of 16 bytes: several rounds when ctest sets rounds of 4099 bytes.
constexpr std::size_t kAffineItems = 600;
std::vector<char> affine_items(int rank) {
  std::vector<char> bytes(kAffineItems * sizeof(Affine));
  for (std::size_t i = 0; i < kAffineItems; ++i) {
    const Affine f = affine_of(rank, i);
    std::memcpy(bytes.data() + i * sizeof(Affine), &f, sizeof f);
  }
  return bytes;
}

}  // namespace

// Under ctest also in rounds of 4099 bytes (256 items a round): each
// round must be one MPI call of its own and deliver its items' results.
TEST_CASE("the ordered scan and reduction combine items in rank order", "[mpi][parallel]") {
  const std::vector<char> mine = affine_items(world_rank());
  const parallel::Traffic start = parallel::traffic_so_far();
  const std::vector<char> before = parallel::exclusive_scan_in_order(mine, sizeof(Affine), &combine_affine);
  std::vector<char> all = mine;
  parallel::all_reduce_in_order(all, sizeof(Affine), &combine_affine);
  if (world_size() > 1) {
    const char* round = std::getenv("JUGGLE_MPI_ROUND_BYTES");
    const std::size_t per_round =
        round != nullptr ? std::max<std::size_t>(1, std::strtoull(round, nullptr, 10) / sizeof(Affine)) : kAffineItems;
    const std::uint64_t rounds = (kAffineItems + per_round - 1) / per_round;
    CHECK(parallel::traffic_so_far().collectives - start.collectives == 2 * rounds);
  }
  CHECK(before.size() == (world_rank() == 0 ? 0 : mine.size()));
  for (std::size_t i = 0; i < kAffineItems; ++i) {
    Affine expected_before, expected_all, got;
    for (int r = 0; r < world_size(); ++r) {
      if (r < world_rank()) expected_before = then(expected_before, affine_of(r, i));
      expected_all = then(expected_all, affine_of(r, i));
    }
    if (world_rank() > 0) {
      std::memcpy(&got, before.data() + i * sizeof(Affine), sizeof got);
      CHECK(got.a == expected_before.a);
      CHECK(got.b == expected_before.b);
    }
    std::memcpy(&got, all.data() + i * sizeof(Affine), sizeof got);
    CHECK(got.a == expected_all.a);
    CHECK(got.b == expected_all.b);
  }
}

TEST_CASE("count in-process: per-file lines equal the manifest for 1 and 2 threads", "[mpi][count]") {
  SharedDir dir;
  const fs::path corpus = dir.path() / "corpus";
  std::map<std::string, std::uint64_t> expected;
  std::vector<std::string> lines_of_manifest;
  if (world_rank() == 0) {
    gen::CorpusSpec spec;
    spec.files = 17;
    spec.total_bytes = 3 << 20;
    spec.seed = 3;
    const auto summary = gen::write_corpus(spec, corpus.string(), 2);
    for (const auto& f : summary.files) expected[(corpus / (f.stem + ".gz")).string()] = f.lines;
  }
  MPI_Barrier(MPI_COMM_WORLD);
  for (const char* threads : {"1", "2"}) {
    for (const char* inflate : {"zlib", "auto"}) {
      std::ostringstream out, err;
      const std::string results = (dir.path() / (std::string("r-") + threads + inflate + ".h5")).string();
      const int status = cli::run_cli({"juggle", "count", "--per-file", "--threads", threads, "--inflate", inflate,
                                       "--output", results, corpus.string()},
                                      {out, err});
      CHECK(status == juggle::kExitOk);
      if (world_rank() != 0) {
        CHECK(out.str().empty());  // only rank 0 speaks
        continue;
      }
      CHECK(err.str().empty());
      std::istringstream listing(out.str());
      std::map<std::string, std::uint64_t> got;
      std::uint64_t n = 0;
      std::string path;
      for (int i = 0; i < 17 && listing >> n >> path; ++i) got[path] = n;
      CHECK(got == expected);
      CHECK(fs::exists(results));
      CHECK(out.str().find("layout: " + std::to_string(world_size())) != std::string::npos);
    }
  }
}

TEST_CASE("a bad file fails alone and every rank returns the same status", "[mpi][count][errors]") {
  SharedDir dir;
  if (world_rank() == 0) {
    gen::CorpusSpec spec;
    spec.files = 5;
    spec.total_bytes = 1 << 20;
    (void)gen::write_corpus(spec, dir.path().string(), 1);
    std::ofstream(dir.path() / "zz-bad.gz") << "not gzip at all\n";
  }
  MPI_Barrier(MPI_COMM_WORLD);
  std::ostringstream out, err;
  const int status = cli::run_cli({"juggle", "count", "--no-output", dir.path().string()}, {out, err});
  CHECK(status == juggle::kExitSomeFailed);
  if (world_rank() == 0) {
    CHECK(err.str() == "juggle: " + (dir.path() / "zz-bad.gz").string() + ": not in gzip format\n");
    CHECK(out.str().find("1 failed") != std::string::npos);
  }
}

TEST_CASE("tokenize in-process: the top words equal a single-threaded count of the same files", "[mpi][tokenize]") {
  SharedDir dir;
  const fs::path corpus = dir.path() / "text";
  if (world_rank() == 0) {
    gen::CorpusSpec spec;
    spec.files = 7;
    spec.total_bytes = 2 << 20;
    spec.seed = 21;
    spec.write_gz = true;
    spec.write_txt = true;
    (void)gen::write_corpus(spec, corpus.string(), 1);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  for (const char* chunk : {"32MiB", "8KiB"}) {
    std::ostringstream out, err;
    const int status = cli::run_cli({"juggle", "tokenize", "--no-output", "--top", "25", "--threads", "2",
                                     "--chunk-size", chunk, corpus.string()},
                                    {out, err});
    CHECK(status == juggle::kExitOk);
    if (world_rank() != 0) continue;
    // The same files counted by one tokenizer, in this process.
    tokenize::WordCounts all;
    gzip::GzipWorkspace ws(gzip::default_backend());
    for (const auto& entry : fs::directory_iterator(corpus)) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with(".txt") || name.ends_with(".gz"))
        (void)tokenize::tokenize_piece({entry.path().string(), 0, UINT64_MAX, true}, ws, {}, all);
    }
    std::ostringstream expected;
    for (const auto& w : tokenize::top_words(all, 25)) expected << w.count << ' ' << w.word << '\n';
    const std::string text = out.str();
    const auto at = text.find("top 25 words:\n");
    REQUIRE(at != std::string::npos);
    CHECK(text.substr(at + 14) == expected.str());
  }
}

namespace {

class CollectingWork final : public pipeline::PieceWork {
 public:
  void start_worker(int) override {}
  void process(const pipeline::Piece& piece, int thread) override {
    const std::lock_guard<std::mutex> lock(mutex);
    files.push_back(piece.file);
    CHECK(piece.path == "file-" + std::to_string(piece.file));
    CHECK(thread >= 0);
  }
  std::mutex mutex;
  std::vector<std::uint64_t> files;
};

}  // namespace

TEST_CASE("engine: every piece is processed once across all ranks, while the sources still emit",
          "[mpi][pipeline]") {
  for (int threads : {1, 2}) {
    results::Clock clock;
    results::EventLog log(world_rank(), threads);
    CollectingWork work;
    // A trickle (pieces arrive while ranks already wait) and a burst of tiny pieces.
    const pipeline::Source trickle = [](const pipeline::Emit& emit) {
      for (std::uint64_t i = 0; i < 30; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        emit({i, 0, UINT64_MAX, 1'000'000, pipeline::kCount, true, "file-" + std::to_string(i)});
      }
    };
    const pipeline::Source burst = [](const pipeline::Emit& emit) {
      for (std::uint64_t i = 30; i < 3000; ++i) emit({i, 0, UINT64_MAX, 10, pipeline::kCount, true, "file-" + std::to_string(i)});
    };
    const auto totals = pipeline::run_engine({world_rank(), world_size(), threads}, {trickle, burst}, work, clock, log);
    CHECK(totals.pieces == work.files.size());
    const std::vector<std::uint64_t> all = parallel::gather_records<std::uint64_t>(work.files, 0);
    if (world_rank() == 0) {
      std::vector<std::uint64_t> sorted = all;
      std::sort(sorted.begin(), sorted.end());
      std::vector<std::uint64_t> expected(3000);
      std::iota(expected.begin(), expected.end(), 0);
      CHECK(sorted == expected);
    }
  }
}
