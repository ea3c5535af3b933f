#include <hdf5.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "json_check.hpp"
#include "report/isolated_read.hpp"
#include "report/report_format.hpp"
#include "report/stage_stats.hpp"
#include "report/study.hpp"
#include "results/h5_handles.hpp"
#include "results/results_file.hpp"
#include "results/results_reader.hpp"
#include "results/run_metadata.hpp"
#include "temp_dir.hpp"

using namespace juggle::results;
using namespace juggle::report;

namespace {

// Two ranks; stage count: rank 0 busy 1 s, rank 1 busy 3 s (two threads of
// 1.5 s); stage walk on rank 0 only. Run wall: 0 .. 4 s.
std::string write_synthetic(const std::filesystem::path& dir) {
  ResultsContent c;
  RunFacts facts;
  facts.subcommand = "count";
  facts.mpi_ranks = 2;
  facts.omp_threads = 2;
  c.root = run_attributes(facts);
  c.steps = {"count"};
  const auto walk = static_cast<std::int32_t>(Stage::walk);
  const auto count = static_cast<std::int32_t>(Stage::count);
  c.events = {{0, 0, walk, 0, 0.0, 0.5, 0, 10},
              {0, 0, count, 0, 1.0, 2.0, 1000000, 100},
              {1, 0, count, 0, 1.0, 2.5, 2000000, 200},
              {1, 1, count, 0, 2.5, 4.0, 3000000, 300}};
  c.ranks = {{0, "h", 0}, {1, "h", 0}};
  const std::string path = (dir / "synthetic.h5").string();
  write_results_file(path, c);
  return path;
}

}  // namespace

TEST_CASE("stage statistics follow their definitions exactly", "[results][report]") {
  juggle::test::TempDir tmp;
  const RunData run = read_results(write_synthetic(tmp.path()));
  CHECK(run.attribute("subcommand") == "count");
  CHECK(run_wall(run) == Approx(4.0));
  const auto stats = stage_stats(run);
  REQUIRE(stats.size() == 2);
  const StageStats& walk = stats[0];
  CHECK(walk.stage == "walk");
  CHECK(walk.wall == Approx(0.5));
  CHECK(walk.ranks == 1);
  CHECK(walk.imbalance == Approx(0.0));
  CHECK(walk.share == Approx(0.125));
  const StageStats& count = stats[1];
  CHECK(count.stage == "count");
  CHECK(count.events == 3);
  CHECK(count.wall == Approx(3.0));  // 1.0 .. 4.0
  CHECK(count.busy_min == Approx(1.0));
  CHECK(count.busy_max == Approx(3.0));
  CHECK(count.busy_mean == Approx(2.0));
  CHECK(count.busy_stddev == Approx(1.0));
  CHECK(count.slowest_rank == 1);
  CHECK(count.imbalance == Approx(0.5));  // 3/2 - 1
  CHECK(count.efficiency == Approx(2.0 / 3.0));
  CHECK(count.share == Approx(0.75));
  CHECK(count.bytes == 6000000);
  CHECK(count.mb_per_s == Approx(2.0));  // 6 MB / 3 s
  CHECK(count.items_per_s == Approx(200.0));
}

TEST_CASE("a job's steps keep their shared stages apart", "[results][report]") {
  juggle::test::TempDir tmp;
  ResultsContent c;
  RunFacts facts;
  facts.subcommand = "run";
  c.root = run_attributes(facts);
  c.steps = {"count", "tokenize"};
  const auto walk = static_cast<std::int32_t>(Stage::walk);
  const auto count = static_cast<std::int32_t>(Stage::count);
  const auto tokenize = static_cast<std::int32_t>(Stage::tokenize);
  // Walks at 0..1 (count) and 5..6 (tokenize): merged they would span 6 s.
  c.events = {{0, 0, walk, 0, 0.0, 1.0, 0, 1},
              {0, 0, count, 0, 1.0, 5.0, 0, 1},
              {0, 0, walk, 1, 5.0, 6.0, 0, 1},
              {0, 0, tokenize, 1, 6.0, 8.0, 0, 1}};
  c.ranks = {{0, "h", 0}};
  const std::string path = (tmp.path() / "job.h5").string();
  write_results_file(path, c);
  const RunData run = read_results(path);
  REQUIRE(run.steps == std::vector<std::string>{"count", "tokenize"});
  const auto stats = stage_stats(run);
  REQUIRE(stats.size() == 4);
  CHECK(stats[0].stage == "count/walk");
  CHECK(stats[0].wall == Approx(1.0));
  CHECK(stats[0].share == Approx(0.125));
  CHECK(stats[1].stage == "count");
  CHECK(stats[2].stage == "tokenize/walk");
  CHECK(stats[2].wall == Approx(1.0));
  CHECK(stats[3].stage == "tokenize");

  // An event of a step the run does not have is not written.
  c.events.push_back({0, 0, walk, 2, 8.0, 9.0, 0, 1});
  CHECK_THROWS_AS(write_results_file((tmp.path() / "bad.h5").string(), c), std::invalid_argument);
  CHECK_FALSE(std::filesystem::exists(tmp.path() / "bad.h5"));
}

TEST_CASE("files from before /steps read as one step named by the subcommand", "[results][report]") {
  juggle::test::TempDir tmp;
  const std::string path = write_synthetic(tmp.path());
  {
    h5::Handle f(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, path);
    REQUIRE(H5Ldelete(f.id(), "steps", H5P_DEFAULT) >= 0);
    REQUIRE(H5Ldelete(f.id(), "events/step", H5P_DEFAULT) >= 0);
  }
  const RunData run = read_results(path);
  CHECK(run.steps == std::vector<std::string>{"count"});
  const auto stats = stage_stats(run);
  REQUIRE(stats.size() == 2);
  CHECK(stats[0].stage == "walk");
  CHECK(stats[1].events == 3);
}

TEST_CASE("reports render in every format", "[results][report]") {
  juggle::test::TempDir tmp;
  std::vector<RunReport> runs{make_run_report(read_results(write_synthetic(tmp.path())))};
  for (const char* name : {"table", "csv", "json", "markdown"}) {
    std::ostringstream out;
    render_report(runs, *parse_report_format(name), out);
    INFO(name);
    CHECK(out.str().find("count") != std::string::npos);
  }
  std::ostringstream csv;
  render_report(runs, ReportFormat::csv, csv);
  std::istringstream lines(csv.str());
  std::string header, walk, count;
  std::getline(lines, header);
  std::getline(lines, walk);
  std::getline(lines, count);
  CHECK(header.rfind("file,subcommand,mpi_ranks,omp_threads,run_wall_s,stage,", 0) == 0);
  CHECK(count.find(",count,3,3.000000,75.0,1.000000,2.000000,3.000000,1.000000,1,50.0,66.7,2.0,200.0") !=
        std::string::npos);
  CHECK_FALSE(parse_report_format("xml"));
}

namespace {

// A run in memory, as read_results gives it: every stage name, these steps and events.
RunData run_in_memory(std::vector<std::string> steps, std::vector<Event> events) {
  RunData run;
  run.path = "memory.h5";
  run.attributes = {{"subcommand", "run"}, {"mpi_ranks", "2"}, {"omp_threads", "2"}};
  for (const std::string_view name : stage_names()) run.stages.emplace_back(name);
  run.steps = std::move(steps);
  run.events = std::move(events);
  return run;
}

Event event(Stage stage, std::int32_t step, std::int32_t rank, std::int32_t thread, double start, double end,
            std::uint64_t bytes = 0) {
  return {rank, thread, static_cast<std::int32_t>(stage), step, start, end, bytes, 0};
}

// The wall of the one stage of a one-step run made of `events`.
double single_stage_wall(std::vector<Event> events) {
  const auto stats = stage_stats(run_in_memory({"count"}, std::move(events)));
  REQUIRE(stats.size() == 1);
  return stats[0].wall;
}

// fetch on rank 0 (the whole stage on thread 0, transfers on slots 0 and 1),
// count and tokenize pieces on rank 1 while it runs. Unions: fetch [0,10],
// count [3,8], tokenize [7,9] u [11,12]; run wall 0..12.
RunData overlapped_run() {
  return run_in_memory({"fetch", "count", "tokenize"},
                       {event(Stage::fetch, 0, 0, 0, 0, 10), event(Stage::fetch_transfer, 0, 0, 0, 0, 6, 6000000),
                        event(Stage::fetch_transfer, 0, 0, 1, 2, 10), event(Stage::count_file, 1, 1, 0, 3, 5, 5000000),
                        event(Stage::count_file, 1, 1, 0, 5, 7, 5000000), event(Stage::count_file, 1, 1, 1, 4, 8),
                        event(Stage::tokenize_piece, 2, 1, 0, 7, 9), event(Stage::tokenize_piece, 2, 1, 0, 11, 12)});
}

std::string rendered(const RunData& run, ReportFormat format) {
  std::ostringstream out;
  render_report({make_run_report(run)}, format, out);
  return out.str();
}

}  // namespace

TEST_CASE("a stage's wall is the time its events cover: the measure of their union", "[report]") {
  // Disjoint events: the gap between them is not the stage's time (their span would be 3).
  CHECK(single_stage_wall({event(Stage::count_file, 0, 0, 0, 0, 1), event(Stage::count_file, 0, 1, 0, 2, 3)}) ==
        Approx(2.0));
  // A nested event adds nothing (their durations would add to 5).
  CHECK(single_stage_wall({event(Stage::count_file, 0, 0, 0, 0, 4), event(Stage::count_file, 0, 0, 1, 1, 2)}) ==
        Approx(4.0));
  // Overlapping events count their shared second once.
  CHECK(single_stage_wall({event(Stage::count_file, 0, 0, 0, 0, 2), event(Stage::count_file, 0, 1, 0, 1, 3)}) ==
        Approx(3.0));
  // All three at once, out of order: [0,2] u [3,4], a nested and a zero-length event inside.
  CHECK(single_stage_wall({event(Stage::count_file, 0, 1, 0, 3, 4), event(Stage::count_file, 0, 0, 0, 0, 1),
                           event(Stage::count_file, 0, 0, 1, 0.5, 2), event(Stage::count_file, 0, 1, 1, 3.2, 3.5),
                           event(Stage::count_file, 0, 0, 0, 3.7, 3.7)}) == Approx(3.0));
}

TEST_CASE("share and MB/s of a stage use its union wall; the run wall stays first start to last end", "[report]") {
  const RunData run =
      run_in_memory({"count"}, {event(Stage::walk, 0, 0, 0, 0, 1), event(Stage::count_file, 0, 0, 0, 2, 3, 1000000),
                                event(Stage::count_file, 0, 1, 0, 7, 8, 1000000)});
  CHECK(run_wall(run) == Approx(8.0));
  const auto stats = stage_stats(run);
  REQUIRE(stats.size() == 2);
  CHECK(stats[1].wall == Approx(2.0));
  CHECK(stats[1].share == Approx(0.25));
  CHECK(stats[1].mb_per_s == Approx(1.0));  // 2 MB over 2 s covered, not over the 6 s span
}

TEST_CASE("two tiny merges 33 ms apart have a wall of their own lengths, not of the gap", "[report]") {
  // The demo's tokenize/merge: 50 ns on rank 0, 160 ns on rank 1 reached 33 ms later, in a run of 0.8 s.
  const RunData run = run_in_memory(
      {"tokenize"}, {event(Stage::tokenize_piece, 0, 0, 0, 0.0, 0.7), event(Stage::merge, 0, 0, 0, 0.7, 0.7 + 50e-9),
                     event(Stage::merge, 0, 1, 0, 0.733, 0.733 + 160e-9), event(Stage::collect, 0, 0, 0, 0.75, 0.8)});
  const auto stats = stage_stats(run);
  REQUIRE(stats.size() == 3);
  const StageStats& merge = stats[1];
  REQUIRE(merge.stage == "merge");
  CHECK(merge.wall == Approx(210e-9).epsilon(1e-6));
  CHECK(merge.wall < 1e-6);
  CHECK(merge.share < 1e-6);
}

TEST_CASE("steps' walls, busy thread-seconds and pairwise overlaps are computed exactly", "[report]") {
  const StepTiming t = step_timing(overlapped_run());
  REQUIRE(t.steps.size() == 3);
  CHECK(t.steps[0].step == "fetch");
  CHECK(t.steps[0].wall == Approx(10.0));
  CHECK(t.steps[0].busy == Approx(18.0));  // thread 0: [0,10] (the transfer inside once), slot 1: 8
  CHECK(t.steps[0].share == Approx(10.0 / 12.0));
  CHECK(t.steps[1].wall == Approx(5.0));  // [3,8]
  CHECK(t.steps[1].busy == Approx(8.0));  // thread 0: [3,7] (touching pieces), thread 1: [4,8]
  CHECK(t.steps[2].wall == Approx(3.0));  // [7,9] u [11,12]
  CHECK(t.steps[2].busy == Approx(3.0));
  CHECK(t.wall_sum == Approx(18.0));
  REQUIRE(t.overlaps.size() == 3);
  CHECK((t.overlaps[0].a == "fetch" && t.overlaps[0].b == "count"));
  CHECK(t.overlaps[0].seconds == Approx(5.0));  // [3,8]
  CHECK((t.overlaps[1].a == "fetch" && t.overlaps[1].b == "tokenize"));
  CHECK(t.overlaps[1].seconds == Approx(2.0));  // [7,9]; [11,12] is after the fetch
  CHECK((t.overlaps[2].a == "count" && t.overlaps[2].b == "tokenize"));
  CHECK(t.overlaps[2].seconds == Approx(1.0));  // [7,8]
}

TEST_CASE("a worker's waits for a piece are not busy time of its step", "[report]") {
  // Thread 0 of rank 0: the rank's engine span [0,10] holds a wait [2,5];
  // thread 1: a piece [0,4] and a wait [4,10]. Busy = 7 + 4.
  const RunData run =
      run_in_memory({"pipeline"}, {event(Stage::pipeline, 0, 0, 0, 0, 10), event(Stage::wait, 0, 0, 0, 2, 5),
                                   event(Stage::count_file, 0, 0, 1, 0, 4), event(Stage::wait, 0, 0, 1, 4, 10)});
  const StepTiming t = step_timing(run);
  REQUIRE(t.steps.size() == 1);
  CHECK(t.steps[0].wall == Approx(10.0));
  CHECK(t.steps[0].busy == Approx(11.0));
}

TEST_CASE("steps that follow one another do not overlap, and the report says nothing of overlap", "[report]") {
  // count [0,5], tokenize [5,8]: they touch at 5 s and share no time.
  const RunData run =
      run_in_memory({"count", "tokenize"}, {event(Stage::walk, 0, 0, 0, 0, 1), event(Stage::count, 0, 0, 0, 1, 5),
                                            event(Stage::walk, 1, 0, 0, 5, 6), event(Stage::tokenize, 1, 0, 0, 6, 8)});
  const StepTiming t = step_timing(run);
  REQUIRE(t.steps.size() == 2);
  CHECK(t.wall_sum == Approx(run_wall(run)));
  CHECK(t.overlaps.empty());
  const std::string table = rendered(run, ReportFormat::table);
  CHECK(table.find("memory.h5 by step") != std::string::npos);
  CHECK(table.find("overlapped") == std::string::npos);
}

TEST_CASE("the overlap of steps is in the table, Markdown and JSON, and CSV stays one table", "[report][json]") {
  const RunData run = overlapped_run();
  const std::string table = rendered(run, ReportFormat::table);
  INFO(table);
  CHECK(table.find("  steps overlapped: fetch 10.000 s + count 5.000 s + tokenize 3.000 s = 18.000 s of step walls; "
                   "the run took 12.000 s\n") != std::string::npos);
  CHECK(table.find("    fetch ran together with count for 5.000 s\n") != std::string::npos);
  CHECK(table.find("    count ran together with tokenize for 1.000 s\n") != std::string::npos);
  CHECK(table.find("  fetch     10.000000  18.000000   83.3\n") != std::string::npos);
  const std::string markdown = rendered(run, ReportFormat::markdown);
  CHECK(markdown.find("| fetch | 10.000000 | 18.000000 | 83.3 |") != std::string::npos);
  CHECK(markdown.find("\n- fetch ran together with tokenize for 2.000 s\n") != std::string::npos);

  const std::string json = rendered(run, ReportFormat::json);
  INFO(json);
  CHECK(juggle::test::JsonCheck::valid(json));
  CHECK(json.find("\"steps\": [{\"name\": \"fetch\", \"wall_s\": 10.000000, \"busy_s\": 18.000000, \"share_pct\": "
                  "83.3}, {\"name\": \"count\", ") != std::string::npos);
  CHECK(json.find("\"overlaps\": [{\"a\": \"fetch\", \"b\": \"count\", \"seconds\": 5.000000}, {\"a\": \"fetch\", "
                  "\"b\": \"tokenize\", \"seconds\": 2.000000}, {\"a\": \"count\", \"b\": \"tokenize\", \"seconds\": "
                  "1.000000}]}") != std::string::npos);

  const std::string csv = rendered(run, ReportFormat::csv);
  // The header and the stage rows (fetch, fetch_transfer, count_file, tokenize_piece), nothing else.
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 4);
  CHECK(csv.find("overlap") == std::string::npos);
}

TEST_CASE("steps and overlaps of a damaged file's times stay valid JSON", "[report][json]") {
  // NaN and infinite times, an end before its start: no crash, no nan or inf in the JSON.
  RunData run = overlapped_run();
  run.events[1].t_start = std::numeric_limits<double>::quiet_NaN();
  run.events[3].t_end = std::numeric_limits<double>::infinity();
  run.events[6].t_end = -5;
  const std::string json = rendered(run, ReportFormat::json);
  INFO(json);
  CHECK(juggle::test::JsonCheck::valid(json));
  CHECK(json.find("inf") == std::string::npos);
  CHECK(json.find("nan") == std::string::npos);
  // The dropped transfer leaves fetch [0,10]; count [3,inf) overlaps it for 7 s and has no finite wall.
  CHECK(json.find("{\"name\": \"count\", \"wall_s\": null, \"busy_s\": null, \"share_pct\": null}") !=
        std::string::npos);
  CHECK(json.find("{\"a\": \"fetch\", \"b\": \"count\", \"seconds\": 7.000000}") != std::string::npos);
}

TEST_CASE("unreadable, foreign, damaged and newer files are refused with a reason", "[results][report][errors]") {
  juggle::test::TempDir tmp;
  const std::string good = write_synthetic(tmp.path());
  const auto refused = [](const std::string& path, const std::string& reason) {
    try {
      (void)read_results(path);
      FAIL("accepted " << path);
    } catch (const ResultsError& e) {
      CHECK(std::string(e.what()).find(path + ": ") == 0);
      CHECK(std::string(e.what()).find(reason) != std::string::npos);
    }
  };
  refused((tmp.path() / "missing.h5").string(), "not an HDF5 file");
  const std::string random = (tmp.path() / "random.h5").string();
  std::ofstream(random) << std::string(4096, '\x5a');
  refused(random, "not an HDF5 file");
  std::ifstream in(good, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string truncated = (tmp.path() / "truncated.h5").string();
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  try {
    (void)read_results(truncated);
    FAIL("accepted a truncated file");
  } catch (const ResultsError& e) {
    CHECK(std::string(e.what()).find(truncated) == 0);
  }
  // A foreign HDF5 file, and one of a newer schema.
  const std::string foreign = (tmp.path() / "foreign.h5").string();
  {
    h5::Handle f = h5::create_file(foreign);
    h5::write_attribute(f.id(), "title", std::string("not ours"));
  }
  refused(foreign, "not a juggle results file");
  const std::string newer = (tmp.path() / "newer.h5").string();
  {
    h5::Handle f = h5::create_file(newer);
    h5::write_attribute(f.id(), "schema", std::string(kSchemaName));
    h5::write_attribute(f.id(), "schema_version", std::int64_t{kSchemaVersion + 1});
  }
  refused(newer, "is newer than this juggle reads");
}

TEST_CASE("a file of schema version 1 (before count/files/pieces) still reads", "[results][report]") {
  juggle::test::TempDir tmp;
  const std::string path = write_synthetic(tmp.path());
  {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(f >= 0);
    REQUIRE(H5Adelete(f, "schema_version") >= 0);
    h5::write_attribute(f, "schema_version", std::int64_t{1});
    REQUIRE(H5Fclose(f) >= 0);
  }
  REQUIRE(kSchemaVersion > 1);
  const RunData run = read_results(path);
  CHECK(run.attribute("schema_version") == "1");
  CHECK(run_wall(run) == Approx(4.0));
  CHECK(stage_stats(run).size() == 2);
}

TEST_CASE("a study groups repeats by configuration: median, speedup, efficiency", "[results][report][study]") {
  const auto run_of = [](int ranks, int threads, double wall) {
    RunReport r;
    r.run.attributes = {
        {"subcommand", "count"}, {"mpi_ranks", std::to_string(ranks)}, {"omp_threads", std::to_string(threads)}};
    r.wall = wall;
    StageStats s;
    s.stage = "count";
    s.wall = wall / 2;
    r.stages.push_back(s);
    s.stage = "merge";  // nothing to merge with one thread
    s.wall = threads == 1 ? 0.0 : 0.1;
    r.stages.push_back(s);
    return r;
  };
  const std::vector<RunReport> runs{run_of(1, 1, 4.0), run_of(1, 1, 6.0), run_of(1, 1, 5.0),
                                    run_of(2, 1, 2.5), run_of(2, 2, 2.0), run_of(2, 2, 3.0)};
  const auto rows = study(runs, std::nullopt);
  const auto find = [&](int ranks, int threads, const std::string& stage) {
    for (const StudyRow& r : rows)
      if (r.config.ranks == ranks && r.config.threads == threads && r.stage == stage) return r;
    FAIL("no row");
    return StudyRow{};
  };
  const StudyRow base = find(1, 1, "(run)");
  CHECK(base.runs == 3);
  CHECK(base.median == Approx(5.0));
  CHECK(base.min == Approx(4.0));
  CHECK(base.max == Approx(6.0));
  CHECK(base.speedup.value() == Approx(1.0));
  const StudyRow two = find(2, 1, "(run)");
  CHECK(two.speedup.value() == Approx(2.0));
  CHECK(two.efficiency.value() == Approx(1.0));
  const StudyRow four = find(2, 2, "count");
  CHECK(four.median == Approx(1.25));             // walls 1.0 and 1.5
  CHECK(four.speedup.value() == Approx(2.0));     // 2.5 / 1.25
  CHECK(four.efficiency.value() == Approx(0.5));  // on 4 cores
  const auto against_two = study(runs, std::string("2x1"));
  for (const StudyRow& r : against_two)
    if (r.config.ranks == 2 && r.config.threads == 1 && r.stage != "merge") CHECK(r.speedup.value() == Approx(1.0));
  // Against a zero baseline there is no speedup: nothing, not 0 or inf.
  const StudyRow merge = find(2, 2, "merge");
  CHECK(merge.median == Approx(0.1));
  CHECK_FALSE(merge.speedup.has_value());
  CHECK_FALSE(merge.efficiency.has_value());
  std::ostringstream csv, json, table;
  render_study(rows, ReportFormat::csv, csv);
  CHECK(csv.str().rfind("subcommand,mode,ranks,threads,cores,stage,runs,median_s", 0) == 0);
  CHECK(csv.str().find(",merge,2,0.100000,0.100000,0.100000,,\n") != std::string::npos);
  render_study(rows, ReportFormat::json, json);
  CHECK(json.str().find("\"speedup\": null, \"efficiency\": null") != std::string::npos);
  render_study(rows, ReportFormat::table, table);
  CHECK(table.str().find("inf") == std::string::npos);
}

namespace {

// JUGGLE_INJECT_FAULT for the duration of a scope.
struct InjectFault {
  explicit InjectFault(const char* spec) { ::setenv("JUGGLE_INJECT_FAULT", spec, 1); }
  ~InjectFault() { ::unsetenv("JUGGLE_INJECT_FAULT"); }
};

// One file through the reading process.
IsolatedRead read_one(const std::string& path, std::chrono::milliseconds limit) {
  std::vector<IsolatedRead> read = read_results_isolated(std::vector<std::string>{path}, limit);
  REQUIRE(read.size() == 1);
  return std::move(read[0]);
}

std::string refusal(const std::string& path, std::chrono::milliseconds limit) {
  const IsolatedRead r = read_one(path, limit);
  return r.run ? "(accepted)" : r.error;
}

}  // namespace

TEST_CASE("a file read in a child process gives what reading it here gives", "[results][report][isolated]") {
  juggle::test::TempDir tmp;
  const std::string path = write_synthetic(tmp.path());
  const RunData here = read_results(path);
  const IsolatedRead read = read_one(path, std::chrono::seconds(60));
  REQUIRE(read.run);
  const RunData& there = *read.run;
  CHECK(there.path == here.path);
  CHECK(there.attributes == here.attributes);
  CHECK(there.stages == here.stages);
  CHECK(there.steps == here.steps);
  REQUIRE(there.events.size() == here.events.size());
  CHECK(std::memcmp(there.events.data(), here.events.data(), here.events.size() * sizeof(Event)) == 0);
  // A refusal comes back word for word.
  const std::string random = (tmp.path() / "random.h5").string();
  std::ofstream(random) << std::string(4096, '\x5a');
  std::string reason;
  try {
    (void)read_results(random);
  } catch (const ResultsError& e) {
    reason = e.what();
  }
  CHECK_FALSE(reason.empty());
  CHECK(refusal(random, std::chrono::seconds(60)) == reason);
}

TEST_CASE("a reader that crashes, stalls or throws condemns the file, not the report",
          "[results][report][isolated][errors]") {
  juggle::test::TempDir tmp;
  const std::string path = write_synthetic(tmp.path());
  {
    const InjectFault fault("0:report-read:crash");
    const std::string why = refusal(path, std::chrono::seconds(60));
    CHECK(why == path + ": damaged: libhdf5 crashed reading it (SIGSEGV)");
  }
  {
    const InjectFault fault("0:report-read:stall");
    CHECK(refusal(path, std::chrono::milliseconds(300)) ==
          path + ": damaged: reading it did not finish within 0.3 s (--read-timeout)");
  }
  {
    // Address space without end, as a damaged size field asks of libhdf5: the
    // reader's limit stops it (a sanitizer's allocator reports and aborts).
    const InjectFault fault("0:report-read:hog");
    const std::string why = refusal(path, std::chrono::seconds(60));
    INFO(why);
    CHECK((why == path + ": out of memory reading it" || why.rfind(path + ": damaged: ", 0) == 0));
  }
  {
    const InjectFault fault("0:report-read:bad_alloc");
    CHECK(refusal(path, std::chrono::seconds(60)) == path + ": out of memory reading it");
  }
  {
    const InjectFault fault("0:report-read:exception");
    CHECK(refusal(path, std::chrono::seconds(60)) ==
          path + ": fault injected by JUGGLE_INJECT_FAULT=0:report-read:exception");
  }
  // The hook is for that stage alone: the file itself is fine.
  CHECK(read_one(path, std::chrono::seconds(60)).run->events.size() == 4);
}

TEST_CASE("JSON output is one valid document for any file names and values", "[results][report][json]") {
  using juggle::test::JsonCheck;
  REQUIRE(JsonCheck::valid(R"([{"a": [1, -0.5e3, null, true, "\u00e9\n"]}])"));
  REQUIRE_FALSE(JsonCheck::valid("[1, nan]"));
  REQUIRE_FALSE(JsonCheck::valid("[\"\xff\"]"));
  REQUIRE_FALSE(JsonCheck::valid("[1] [2]"));
  REQUIRE_FALSE(JsonCheck::valid("{\"a\": }"));

  juggle::test::TempDir tmp;
  RunReport odd = make_run_report(read_results(write_synthetic(tmp.path())));
  odd.run.path = "odd \xff\xfe \"q\" \x01 \xc3 name.h5";  // a Linux file name is bytes
  odd.run.attributes["subcommand"] = "count\xe2\x82";     // cut inside a code point
  odd.run.attributes["created_utc"] = "2026\t11";
  RunData endless = read_results(write_synthetic(tmp.path()));
  for (Event& e : endless.events) e.t_end = std::numeric_limits<double>::infinity();  // as a damaged file may say
  RunData bench;
  bench.path = "bench \xff.h5";
  bench.steps = {"bench"};
  bench.bench = {{"case", "s"}, {true, false}, {{"count \xff", "0.5"}, {"tokenize", ""}}};
  bench.bench_targets = {{"target", "met"}, {true, false}, {{"count", "1"}}};
  const std::vector<RunReport> all{odd, make_run_report(endless), make_run_report(bench)};

  const auto json = [](const std::vector<RunReport>& runs) {
    std::ostringstream out;
    render_report(runs, ReportFormat::json, out);
    return out.str();
  };
  const std::string text = json(all);
  INFO(text);
  CHECK(JsonCheck::valid(text));
  CHECK(text.find("odd \\ufffd\\ufffd \\\"q\\\" \\u0001 \\ufffd name.h5") != std::string::npos);
  CHECK(text.find("\"count\\ufffd\\ufffd\"") != std::string::npos);
  CHECK(text.find("\"run_wall_s\": null") != std::string::npos);
  CHECK(text.find("\"wall_s\": null") != std::string::npos);
  CHECK(text.find("\"bench\": [") != std::string::npos);
  CHECK(text.find("inf") == std::string::npos);
  CHECK(json({}) == "[\n]\n");
  CHECK(JsonCheck::valid(json({make_run_report(bench)})));
  std::ostringstream csv;
  render_report({}, ReportFormat::csv, csv);
  CHECK(csv.str().rfind("file,subcommand,", 0) == 0);  // the header, so a reader finds the columns
}

TEST_CASE("many files go through one reading process, restarted after each file it dies on",
          "[results][report][isolated]") {
  juggle::test::TempDir tmp;
  const std::string good = write_synthetic(tmp.path());
  const std::string garbage = (tmp.path() / "garbage.h5").string();
  std::ofstream(garbage) << std::string(4096, '\x5a');
  const std::vector<std::string> paths{good, garbage, good, (tmp.path() / "missing.h5").string(), good};
  const std::vector<IsolatedRead> read = read_results_isolated(paths, std::chrono::seconds(60));
  REQUIRE(read.size() == paths.size());
  for (const std::size_t i : {0, 2, 4}) {
    REQUIRE(read[i].run);
    CHECK(read[i].run->events.size() == 4);
  }
  for (const std::size_t i : {1, 3}) {
    CHECK_FALSE(read[i].run);
    CHECK(read[i].error.rfind(paths[i] + ": not an HDF5 file", 0) == 0);
  }
  {
    // Every file kills its reader: each is condemned under its own name and
    // a new reader goes on with the next.
    const InjectFault fault("0:report-read:crash");
    const std::vector<IsolatedRead> crashed = read_results_isolated(paths, std::chrono::seconds(60));
    for (std::size_t i = 0; i < paths.size(); ++i)
      CHECK(crashed[i].error == paths[i] + ": damaged: libhdf5 crashed reading it (SIGSEGV)");
  }
  {
    const InjectFault fault("0:report-read:stall");
    const std::vector<IsolatedRead> stalled = read_results_isolated({good, garbage}, std::chrono::milliseconds(200));
    CHECK(stalled[0].error == good + ": damaged: reading it did not finish within 0.2 s (--read-timeout)");
    CHECK(stalled[1].error == garbage + ": damaged: reading it did not finish within 0.2 s (--read-timeout)");
  }
  CHECK(read_results_isolated(std::vector<std::string>{}, std::chrono::seconds(1)).empty());
}

TEST_CASE("report's JSON types every number as a number in every mode", "[results][report][json]") {
  using juggle::test::JsonCheck;
  using juggle::test::JsonScalar;
  REQUIRE(JsonCheck::number_text("-0.5e3"));
  REQUIRE_FALSE(JsonCheck::number_text("03"));
  REQUIRE_FALSE(JsonCheck::number_text("1x1"));

  juggle::test::TempDir tmp;
  const RunReport from_file = make_run_report(read_results(write_synthetic(tmp.path())));  // attributes as stored
  RunReport unknown_layout = make_run_report(overlapped_run());
  unknown_layout.run.attributes.erase("omp_threads");
  unknown_layout.run.attributes["mpi_ranks"] = "two";  // as a damaged or foreign file may say
  RunData bench;
  bench.path = "bench.h5";
  bench.steps = {"bench"};
  bench.bench = {{"case", "median_s", "runs"}, {true, false, false}, {{"count", "0.5", "3"}, {"tokenize", "", "1"}}};
  bench.bench_targets = {{"target", "met"}, {true, false}, {{"count", "-1"}}};
  const std::vector<RunReport> runs{from_file, unknown_layout, make_run_report(overlapped_run())};

  std::ostringstream per_run, study_json, with_bench;
  render_report(runs, ReportFormat::json, per_run);
  render_study(study(runs, std::nullopt), ReportFormat::json, study_json);
  render_report({make_run_report(bench), from_file}, ReportFormat::json, with_bench);
  // Keys whose values are text; every other value must be a number (or null: no value).
  const std::vector<std::string> text_keys = {"file", "subcommand", "created_utc", "stage", "name", "a", "b",
                                              "mode", "case", "target"};
  for (const std::string& json : {per_run.str(), study_json.str(), with_bench.str()}) {
    INFO(json);
    std::vector<JsonScalar> scalars;
    REQUIRE(JsonCheck::valid(json, &scalars));
    REQUIRE(scalars.size() > 10);
    for (const JsonScalar& s : scalars) {
      INFO(s.key << ": " << s.text);
      const bool text_key = std::find(text_keys.begin(), text_keys.end(), s.key) != text_keys.end();
      if (s.kind == JsonScalar::Kind::string) {
        CHECK(text_key);
        CHECK_FALSE(JsonCheck::number_text(s.text));
      } else {
        CHECK_FALSE(text_key);
        CHECK((s.kind == JsonScalar::Kind::number || s.text == "null"));
      }
    }
  }
  const std::string text = per_run.str();
  CHECK(text.find("\"mpi_ranks\": 2, \"omp_threads\": 2,") != std::string::npos);        // the file's int64s
  CHECK(text.find("\"mpi_ranks\": null, \"omp_threads\": null,") != std::string::npos);  // none to give
  CHECK(study_json.str().find("\"ranks\": 2, \"threads\": 2, \"cores\": 4,") != std::string::npos);
}
