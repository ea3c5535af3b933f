// The piece engine's parts that need no MPI: piece messages, the ready
// queue's order and blocking, and the engine alone on one rank with many
// threads and slow sources.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "pipeline/engine.hpp"
#include "pipeline/input_pieces.hpp"
#include "pipeline/piece.hpp"
#include "pipeline/piece_queue.hpp"

using namespace juggle;
using pipeline::Piece;

TEST_CASE("pieces survive their message encoding; any cut or extra byte is refused", "[pipeline][piece]") {
  const std::vector<Piece> pieces = {{7, 0, UINT64_MAX, 100, pipeline::kCount, true, "a/b.gz"},
                                     {8, 4096, 8192, 4096, pipeline::kTokenize, false, std::string("n\0l", 3)},
                                     {9, 0, UINT64_MAX, 1, 3, true, "", pipeline::kChained | pipeline::kStayOnRank}};
  const std::vector<char> bytes = pipeline::encode_pieces(pieces);
  const auto back = pipeline::decode_pieces(bytes);
  REQUIRE(back);
  REQUIRE(back->size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK((*back)[i].file == pieces[i].file);
    CHECK((*back)[i].begin == pieces[i].begin);
    CHECK((*back)[i].end == pieces[i].end);
    CHECK((*back)[i].weight == pieces[i].weight);
    CHECK((*back)[i].actions == pieces[i].actions);
    CHECK((*back)[i].whole_file == pieces[i].whole_file);
    CHECK((*back)[i].path == pieces[i].path);
    CHECK((*back)[i].flags == pieces[i].flags);
  }
  for (std::size_t cut = 0; cut < bytes.size(); ++cut)
    CHECK_FALSE(pipeline::decode_pieces(std::span(bytes.data(), cut)));
  std::vector<char> longer = bytes;
  longer.push_back(0);
  CHECK_FALSE(pipeline::decode_pieces(longer));
  CHECK(pipeline::decode_pieces(pipeline::encode_pieces({}))->empty());
}

TEST_CASE("the ready queue gives the heaviest piece first, ties by file and offset", "[pipeline][queue]") {
  pipeline::PieceQueue q(1);
  q.push(Piece{3, 0, 1, 10});
  q.push(Piece{1, 0, 1, 50});
  q.push(Piece{2, 64, 1, 10});
  q.push(Piece{2, 0, 1, 10});
  q.producer_done();
  CHECK(q.weight() == 80);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> order;
  while (auto p = q.pop()) order.emplace_back(p->file, p->begin);
  CHECK(order == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 0}, {2, 0}, {2, 64}, {3, 0}});
  CHECK(q.drained());
  CHECK(q.weight() == 0);
}

TEST_CASE("a batch stops once its weight is reached, and holds at least one piece", "[pipeline][queue]") {
  pipeline::PieceQueue q(1);
  for (std::uint64_t i = 0; i < 10; ++i) q.push(Piece{i, 0, 1, 100 - i});
  CHECK(q.take(10, 1).size() == 1);         // one piece even over the weight
  CHECK(q.take(3, 1'000'000).size() == 3);  // the count bounds it
  CHECK(q.take(100, 250).size() == 3);      // 96 + 95 + 94 reaches 250
  CHECK(q.take(100, 1'000'000).size() == 3);
  CHECK(q.take(100, 1'000'000).empty());
  CHECK_FALSE(q.drained());  // empty but still open
}

TEST_CASE("a member's chunks go out last first; a claim takes one link; the head never leaves rank 0",
          "[pipeline][queue]") {
  pipeline::PieceQueue q(1);
  const std::uint8_t link = pipeline::kDeflateChunk | pipeline::kChained;
  q.push(Piece{5, 0, 10, 1000, pipeline::kCount, false, "f", link | pipeline::kStayOnRank});
  for (std::uint64_t b = 10; b < 50; b += 10) q.push(Piece{5, b, b + 10, 10, pipeline::kCount, false, "f", link});
  q.push(Piece{6, 0, 1, 10});  // another file of the same weight, not a chain
  q.producer_done();
  // The head stays; the links go out from the back.
  const std::vector<Piece> batch = q.take(3, 1'000'000);
  REQUIRE(batch.size() == 3);
  CHECK(batch[0].file == 5);
  CHECK(batch[0].begin == 40);
  CHECK(batch[1].begin == 30);
  CHECK(batch[2].begin == 20);
  CHECK(q.weight() == 1000 + 10 + 10);
  CHECK_FALSE(q.claim(5, 30));  // gone
  const auto claimed = q.claim(5, 10);
  REQUIRE(claimed);
  CHECK(claimed->begin == 10);
  CHECK(q.weight() == 1000 + 10);
  CHECK(q.take(10, 1'000'000).size() == 1);  // file 6; the head is left
  CHECK(q.take(10, 1'000'000).empty());      // only the head: nothing to give
  CHECK(q.weight() == 1000);
  const auto head = q.pop();
  REQUIRE(head);
  CHECK(head->flags & pipeline::kStayOnRank);
  CHECK_FALSE(q.pop());
  CHECK(q.drained());
}

TEST_CASE("a pop waits for a producer and ends when the last producer is done", "[pipeline][queue]") {
  pipeline::PieceQueue q(2);
  std::thread late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    q.push(Piece{1, 0, 1, 1});
    q.producer_done();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    q.producer_done();
  });
  const auto first = q.pop();
  REQUIRE(first);
  CHECK(first->file == 1);
  CHECK_FALSE(q.pop());  // waits for the second producer, then the queue is closed
  late.join();
}

TEST_CASE("a cancelled queue wakes every waiting thread with nothing", "[pipeline][queue]") {
  pipeline::PieceQueue q(1);
  std::atomic<int> woke{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i) waiters.emplace_back([&] { woke += q.pop() ? 0 : 1; });
  std::thread refiller([&] { q.wait_below(1); });  // returns at once: the queue is empty
  refiller.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  q.cancel();
  for (std::thread& t : waiters) t.join();
  CHECK(woke == 3);
}

namespace {

// Records which thread processed which piece, and how many pieces each
// thread had processed when it was told to finish.
class RecordingWork final : public pipeline::PieceWork {
 public:
  explicit RecordingWork(int threads)
      : started(static_cast<std::size_t>(threads), 0), finished_after(static_cast<std::size_t>(threads), -1) {}
  void start_worker(int thread) override { started.at(static_cast<std::size_t>(thread)) += 1; }
  void process(const Piece& piece, int thread) override {
    const std::lock_guard<std::mutex> lock(mutex);
    seen.emplace_back(piece.file, thread);
    CHECK(finished_after.at(static_cast<std::size_t>(thread)) == -1);  // no piece after finish_worker
  }
  void finish_worker(int thread) override {
    const std::lock_guard<std::mutex> lock(mutex);
    CHECK(finished_after.at(static_cast<std::size_t>(thread)) == -1);  // once
    finished_after.at(static_cast<std::size_t>(thread)) =
        static_cast<int>(std::count_if(seen.begin(), seen.end(), [&](const auto& s) { return s.second == thread; }));
  }
  std::vector<int> started;
  std::vector<int> finished_after;
  std::mutex mutex;
  std::vector<std::pair<std::uint64_t, int>> seen;
};

}  // namespace

TEST_CASE("one rank: every piece of every source is processed exactly once, by a worker thread", "[pipeline][engine]") {
  for (int threads : {1, 2, 4}) {
    results::Clock clock;
    results::EventLog log(0, threads);
    RecordingWork work(threads);
    // Two sources, one slow (pieces trickle in as downloads would).
    const pipeline::Source fast = [](const pipeline::Emit& emit) {
      for (std::uint64_t i = 0; i < 500; ++i) emit(Piece{i, 0, UINT64_MAX, i % 7 + 1});
    };
    const pipeline::Source slow = [](const pipeline::Emit& emit) {
      for (std::uint64_t i = 500; i < 520; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        emit(Piece{i, 0, UINT64_MAX, 1});
      }
    };
    const pipeline::EngineTotals totals = pipeline::run_engine({0, 1, threads}, {fast, slow}, work, clock, log);
    CHECK(totals.pieces == 520);
    CHECK(totals.end >= totals.start);
    std::set<std::uint64_t> files;
    for (const auto& [file, thread] : work.seen) {
      files.insert(file);
      CHECK(thread >= 0);
      CHECK(thread < threads);
    }
    CHECK(work.seen.size() == 520);
    CHECK(files.size() == 520);
    for (int n : work.started) CHECK(n == 1);
    int finished_pieces = 0;
    for (int n : work.finished_after) {
      CHECK(n >= 0);  // every worker was told to finish
      finished_pieces += n;
    }
    CHECK(finished_pieces == 520);
  }
}

TEST_CASE("a chain's links still queued are processed next by the thread that finished the link before",
          "[pipeline][engine]") {
  for (int threads : {1, 2, 3}) {
    results::Clock clock;
    results::EventLog log(0, threads);
    // Every piece takes a millisecond, so the chain's head and the other
    // threads (from the back) meet somewhere in the middle.
    class SlowWork final : public pipeline::PieceWork {
     public:
      void start_worker(int) override {}
      void process(const Piece& piece, int thread) override {
        {
          const std::lock_guard<std::mutex> lock(mutex);
          seen.emplace_back(piece.begin, thread);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      std::mutex mutex;
      std::vector<std::pair<std::uint64_t, int>> seen;
    } work;
    const std::uint8_t link = pipeline::kDeflateChunk | pipeline::kChained;
    const pipeline::Source chain = [&](const pipeline::Emit& emit) {
      std::vector<Piece> pieces;
      for (std::uint64_t b = 0; b < 40; ++b)
        pieces.push_back(Piece{9, b, b + 1, b == 0 ? 1000u : 1u, pipeline::kCount, false, "f", link});
      emit(std::move(pieces));
    };
    const pipeline::EngineTotals totals = pipeline::run_engine({0, 1, threads}, {chain}, work, clock, log);
    CHECK(totals.pieces == 40);
    REQUIRE(work.seen.size() == 40);
    // The head's thread ran the head and then its links in order, as long
    // as they were still queued: with one thread, all of them.
    const auto head = std::find_if(work.seen.begin(), work.seen.end(), [](const auto& s) { return s.first == 0; });
    REQUIRE(head != work.seen.end());
    const int head_thread = head->second;
    std::vector<std::uint64_t> run;
    for (const auto& [piece, thread] : work.seen)
      if (thread == head_thread) run.push_back(piece);
    REQUIRE(run.front() == 0);  // the heaviest piece, taken first by its thread
    std::size_t prefix = 1;
    while (prefix < run.size() && run[prefix] == prefix) ++prefix;
    CHECK(prefix >= 2);
    if (threads == 1) CHECK(prefix == 40);
    std::set<std::uint64_t> once;
    for (const auto& s : work.seen) once.insert(s.first);
    CHECK(once.size() == 40);
  }
}

TEST_CASE("rank 0's workers run yield_nice nicer while the engine runs, and are put back after it",
          "[pipeline][engine]") {
  // The workers read their own nice value; the caller's thread is one of
  // them (OpenMP's thread 0) and must have its value back afterwards where
  // the system lets a thread lower it again (as root; not for other users).
  class NiceWork final : public pipeline::PieceWork {
   public:
    void start_worker(int) override {}
    void process(const Piece&, int) override {
      errno = 0;
      const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
      const std::lock_guard<std::mutex> lock(mutex);
      seen.push_back(nice);
    }
    std::mutex mutex;
    std::vector<int> seen;
  } work;
  const int before = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  REQUIRE(before <= 14);  // room to be 5 nicer
  results::Clock clock;
  results::EventLog log(0, 2);
  const pipeline::Source source = [](const pipeline::Emit& emit) {
    for (std::uint64_t i = 0; i < 40; ++i) emit(Piece{i, 0, UINT64_MAX, 1});
  };
  (void)pipeline::run_engine({.rank = 0, .ranks = 1, .threads = 2, .yield_nice = 5}, {source}, work, clock, log);
  REQUIRE(work.seen.size() == 40);
  for (int nice : work.seen) CHECK(nice == before + 5);
  const int after = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  if (::geteuid() == 0)
    CHECK(after == before);
  else
    CHECK((after == before || after == before + 5));
  if (after != before) (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), before);
}

TEST_CASE("a piece that throws stops the engine and reaches the caller", "[pipeline][engine]") {
  class Failing final : public pipeline::PieceWork {
   public:
    void start_worker(int) override {}
    void process(const Piece& piece, int) override {
      if (piece.file == 3) throw std::runtime_error("piece 3 failed");
    }
  } work;
  results::Clock clock;
  results::EventLog log(0, 2);
  const pipeline::Source source = [](const pipeline::Emit& emit) {
    for (std::uint64_t i = 0; i < 10; ++i) emit(Piece{i, 0, UINT64_MAX, 10 - i});
  };
  CHECK_THROWS_WITH(pipeline::run_engine({0, 1, 2}, {source}, work, clock, log), "piece 3 failed");
}

TEST_CASE("a large plain file is cut into ranges only when it is tokenized alone", "[pipeline][pieces]") {
  const files::InputFile big{"/nonexistent/big.txt", 10'000, {}};
  const auto ranges = pipeline::pieces_of(big, 4, pipeline::kTokenize, 4096);
  REQUIRE(ranges.size() == 3);
  CHECK(ranges[0].begin == 0);
  CHECK(ranges[1].begin == 4096);
  CHECK(ranges[2].end == 10'000);
  for (const Piece& p : ranges) {
    CHECK_FALSE(p.whole_file);
    CHECK(p.file == 4);
  }
  CHECK(pipeline::pieces_of(big, 4, pipeline::kCount | pipeline::kTokenize, 4096).size() == 1);
  CHECK(pipeline::pieces_of(big, 4, pipeline::kCount, 4096).size() == 1);
  const files::InputFile small{"/nonexistent/small.gz", 100, {}};
  const auto one = pipeline::pieces_of(small, 0, pipeline::kTokenize, 4096);
  REQUIRE(one.size() == 1);
  CHECK(one[0].whole_file);
  CHECK(one[0].weight >
        pipeline::pieces_of({"/nonexistent/small.txt", 100, {}}, 0, pipeline::kTokenize, 4096)[0].weight);
}
