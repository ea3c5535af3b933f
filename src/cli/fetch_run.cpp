// The fetch stage's driver: rank 0 downloads, every other rank waits for the
// list of files it produced (the input of the next stages in a pipeline).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/exit_codes.hpp"
#include "cli/fetch_command.hpp"
#include "cli/units.hpp"
#include "fetch/fetcher.hpp"
#include "fetch/url_list.hpp"
#include "fetch/url_naming.hpp"
#include "parallel/collectives.hpp"

namespace juggle::cli {
namespace {

using fetch::TransferOutcome;
using fetch::TransferRecord;

struct FetchTotals {
  std::uint64_t urls = 0, fetched = 0, skipped = 0, failed = 0, bytes = 0;
};

FetchTotals totals_of(const std::vector<TransferRecord>& records, std::size_t list_problems) {
  FetchTotals t;
  t.urls = records.size();
  t.failed = list_problems;
  for (const TransferRecord& r : records) {
    t.fetched += r.outcome == TransferOutcome::fetched;
    t.skipped += r.outcome == TransferOutcome::skipped;
    t.failed += r.outcome == TransferOutcome::failed;
    if (r.outcome == TransferOutcome::fetched) t.bytes += r.bytes;
  }
  return t;
}

// A progress line on stderr, redrawn after every status line, when stderr is
// a terminal (and only then: logs and pipes get plain lines).
class Progress {
 public:
  Progress(std::size_t total, Io io) : total_(total), io_(io), tty_(&io.err == &std::cerr && ::isatty(2)) {}
  void clear() const {
    if (tty_) io_.err << "\r\033[K" << std::flush;
  }
  void show(const TransferRecord& r) {
    ++done_;
    if (r.outcome == TransferOutcome::fetched) bytes_ += r.bytes;
    if (tty_)
      io_.err << "fetch: " << done_ << "/" << total_ << " URLs, " << binary_size(bytes_) << std::flush;
  }
  ~Progress() { clear(); }

 private:
  std::size_t total_;
  Io io_;
  bool tty_;
  std::size_t done_ = 0;
  std::uint64_t bytes_ = 0;
};

void print_status(const TransferRecord& r, Io io) {
  switch (r.outcome) {
    case TransferOutcome::fetched:
      io.out << "fetched " << r.url << " -> " << r.path << " (" << r.bytes << " bytes, HTTP " << r.http_status << ", "
             << fixed(r.t_end - r.t_start, 3) << " s, " << r.attempts << (r.attempts == 1 ? " attempt)\n" : " attempts)\n");
      break;
    case TransferOutcome::skipped:
      io.out << "skipped " << r.url << " -> " << r.path << " (already complete)\n";
      break;
    case TransferOutcome::failed:
      io.err << "juggle: " << r.url << ": " << r.error << '\n';
      break;
  }
  io.out.flush();
}

results::ResultsContent fetch_results(const std::vector<TransferRecord>& records, const FetchTotals& t,
                                      double wall, const FetchCliOptions& o, std::vector<results::Event> events) {
  using results::Column;
  using results::column_of;
  results::ResultsContent c;
  c.steps = {"fetch"};
  c.root.emplace_back("fetch_mode", o.mode);
  c.root.emplace_back("fetch_concurrency", std::int64_t{o.concurrency});
  c.events = std::move(events);
  const auto outcome = [](const TransferRecord& r) {
    return std::string(r.outcome == TransferOutcome::fetched   ? "fetched"
                       : r.outcome == TransferOutcome::skipped ? "skipped"
                                                               : "failed");
  };
  c.tables.push_back(
      {"fetch/transfers",
       {{"url", Column(column_of<std::string>(records, [](const TransferRecord& r) { return r.url; }))},
        {"path", Column(column_of<std::string>(records, [](const TransferRecord& r) { return r.path; }))},
        {"outcome", Column(column_of<std::string>(records, outcome))},
        {"http_status", Column(column_of<std::int32_t>(records, [](const TransferRecord& r) { return r.http_status; }))},
        {"bytes", Column(column_of<std::uint64_t>(records, [](const TransferRecord& r) { return r.bytes; }))},
        {"seconds",
         Column(column_of<double>(records, [](const TransferRecord& r) { return r.t_end - r.t_start; }))},
        {"attempts", Column(column_of<std::int32_t>(records, [](const TransferRecord& r) { return r.attempts; }))},
        {"error", Column(column_of<std::string>(records, [](const TransferRecord& r) { return r.error; }))}}});
  c.attribute_groups.push_back({"fetch/total",
                                {{"urls", t.urls},
                                 {"fetched", t.fetched},
                                 {"skipped", t.skipped},
                                 {"failed", t.failed},
                                 {"bytes", t.bytes},
                                 {"wall_seconds", wall},
                                 {"mb_per_s", per_second(static_cast<double>(t.bytes) / 1e6, wall)}}});
  return c;
}

}  // namespace

// Rank 0's part: read the list and open the output directory. Nothing,
// with `status` set, when either cannot be used.
std::optional<PreparedFetch> prepare_fetch(const FetchCliOptions& o, Io io, int& status) {
  std::ifstream file;
  if (o.urls != "-") {
    file.open(o.urls);
    if (!file) {
      io.err << "juggle: " << o.urls << ": cannot read the URL list\n";
      status = kExitUsage;
      return std::nullopt;
    }
  }
  const fetch::UrlList list = fetch::parse_url_list(o.urls == "-" ? std::cin : file);
  for (const auto& p : list.problems) io.err << "juggle: " << o.urls << ':' << p.line << ": " << p.reason << '\n';
  std::vector<std::string> urls;
  for (const auto& e : list.entries) urls.push_back(e.url);
  const std::vector<std::string> names = fetch::assign_file_names(urls);
  PreparedFetch prepared;
  prepared.list_problems = list.problems.size();
  fetch::FetchRequest& request = prepared.request;
  for (std::size_t i = 0; i < list.entries.size(); ++i)
    request.jobs.push_back({list.entries[i].url, names[i], list.entries[i].sha256, list.entries[i].size});
  request.mode = fetch::parse_mode(o.mode).value_or(fetch::FetchMode::multi);
  request.concurrency = o.concurrency;
  request.policy = o.policy;
  request.policy.verify_tls = !o.insecure;
  request.force = o.force;
  try {
    prepared.dir = std::make_unique<fetch::OutputDir>(o.out);
  } catch (const std::exception& e) {
    io.err << "juggle: " << e.what() << '\n';
    status = kExitOutput;
    return std::nullopt;
  }
  return prepared;
}

FetchedFiles run_transfers(const FetchCliOptions& o, PreparedFetch& prepared, const results::Clock& clock, Io io,
                           const fetch::OnTransferDone& landed) {
  FetchedFiles done;
  done.started = clock.now();
  {
    Progress progress(prepared.request.jobs.size(), io);
    done.records = fetch::fetch_all(prepared.request, *prepared.dir, clock, [&](const TransferRecord& r) {
      progress.clear();
      print_status(r, io);
      progress.show(r);
      if (landed) landed(r);
    });
  }
  done.finished = clock.now();
  const double wall = done.finished - done.started;
  std::vector<results::Event> events;
  for (const TransferRecord& r : done.records) {
    events.push_back({0, r.worker, static_cast<std::int32_t>(results::Stage::fetch_transfer), 0, r.t_start, r.t_end,
                      r.bytes, static_cast<std::uint64_t>(r.attempts)});
    if (r.outcome != TransferOutcome::failed) done.paths.push_back(r.path);
  }
  events.push_back({0, 0, static_cast<std::int32_t>(results::Stage::fetch), 0, done.started, done.finished, 0,
                    done.records.size()});
  const FetchTotals t = totals_of(done.records, prepared.list_problems);
  io.out << "fetch: " << t.urls << " URLs, " << t.fetched << " fetched, " << t.skipped << " already complete, "
         << t.failed << " failed; " << binary_size(t.bytes) << " in " << fixed(wall, 3) << " s (mode " << o.mode
         << ", concurrency " << o.concurrency << ")\n";
  if (prepared.dir->stale_partials_removed() > 0)
    io.out << "fetch: removed " << prepared.dir->stale_partials_removed() << " partial files of earlier, killed runs\n";
  done.report = {t.failed > 0 ? kExitSomeFailed : kExitOk, fetch_results(done.records, t, wall, o, events)};
  return done;
}

namespace {

StageReport fetch_on_rank0(const FetchCliOptions& o, RunContext& run, Io io, std::vector<std::string>& fetched_paths) {
  int status = kExitOk;
  std::optional<PreparedFetch> prepared = prepare_fetch(o, io, status);
  if (!prepared) return {status, {}};
  FetchedFiles done = run_transfers(o, *prepared, run.clock, io, {});
  fetched_paths = std::move(done.paths);
  return std::move(done.report);
}

}  // namespace

StageReport fetch_stage(const FetchCliOptions& o, RunContext& run, Io io, std::vector<std::string>& fetched_paths) {
  fetched_paths.clear();
  StageReport report;
  if (run.world.rank == 0) report = fetch_on_rank0(o, run, io, fetched_paths);
  // The other ranks learn what landed (the input of the stages that follow).
  parallel::broadcast_strings(fetched_paths, 0);
  return report;
}

namespace {

int fetch_all_ranks(const FetchCliOptions& o, Io io) {
  OutputOptions output = o.output;
  output.force = o.force;
  std::vector<std::string> fetched;
  return run_one_stage("fetch", output, 1, {}, o.command_line, io,
                       [&](RunContext& run) { return fetch_stage(o, run, io, fetched); });
}

}  // namespace

int run_fetch(const FetchCliOptions& options, Io io) {
  return run_on_all_ranks([&] { return fetch_all_ranks(options, io); });
}

}  // namespace juggle::cli
