// Rank 0 has two sources: a walk of the paths the count and tokenize
// sections name, and the downloads, whose event loop runs on a thread of
// its own and turns each file into a piece the moment it lands (or is found
// complete from an earlier run). Every rank's workers, rank 0's included,
// count and tokenize while the downloads go on. A file that both stages
// take is one piece, decompressed once for both (count_tokenize_work.hpp).
//
// Which stage takes which file: the walk of a stage's own paths (its
// --include in directories), as when the stage runs alone; and each file
// that lands: `.gz` files are counted, the others tokenized, and a file
// also goes to a stage whose paths name it or a directory above it (by
// name, lexically) with a matching --include. The walk leaves out the
// downloads' targets and temporaries: those files come from the downloads.
//
// A stage's input order is its walk's order, then its downloaded files in
// URL list order, whatever order they land in; records are put in that
// order on rank 0, so output is the same for any arrival order and any
// ranks x threads.
#include "pipeline/job_pipeline.hpp"

#include <fnmatch.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "fetch/output_dir.hpp"
#include "parallel/collectives.hpp"
#include "parallel/fault_injection.hpp"
#include "pipeline/count_tokenize_work.hpp"
#include "pipeline/engine.hpp"
#include "pipeline/input_failure.hpp"
#include "pipeline/input_pieces.hpp"

namespace juggle::pipeline {
namespace {

using results::Stage;

// Downloaded files follow walked ones in a stage's order.
constexpr std::uint64_t kFetchedOrder = 1ull << 62;

// How much nicer rank 0's workers run while downloads go on beside them
// (EngineSettings::yield_nice): at +10 a worker's weight is about a tenth
// of the downloads' thread's. Measured on 2 cores, 64 files at 1 x 2: the
// run took 1.63 s instead of 1.74 s (median of 4).
constexpr int kYieldToDownloads = 10;

// The piece engine's own events in a results file (/steps).
constexpr const char* kPipelineStep = "pipeline";

std::string normal(const std::string& path) { return std::filesystem::path(path).lexically_normal().string(); }

// Is `path` (normalised) under `root` (normalised), or the root itself?
bool under(const std::string& p, std::string r) {
  if (p == r) return true;
  // "." (the working directory) holds every relative path that does not climb out of it.
  if (r == ".") return !p.empty() && p.front() != '/' && p != ".." && p.compare(0, 3, "../") != 0;
  if (!r.empty() && r.back() != '/') r += '/';
  return p.compare(0, r.size(), r) == 0;
}

// Would a walk of `roots` with `include` take `path`? By name only.
bool covered_by(const std::string& path, const std::vector<std::string>& roots,
                const std::vector<std::string>& include) {
  const std::string p = normal(path);
  const std::string base = std::filesystem::path(p).filename().string();
  for (const std::string& root : roots) {
    const std::string r = normal(root);
    if (p == r) return true;  // a file named as a root is taken whatever its name
    if (!under(p, r)) continue;
    if (include.empty()) return true;
    for (const std::string& pattern : include)
      if (::fnmatch(pattern.c_str(), base.c_str(), 0) == 0) return true;
  }
  return false;
}

// Rank 0's files of the job, registered by the walk and the downloads
// (two threads, hence the lock).
class JobInputs {
 public:
  struct StageInputs {
    std::vector<files::InputFile> files;         // the stage's input order
    std::vector<std::int64_t> position_of_file;  // by file id; -1: not the stage's
  };

  // The file's id; a path registered before gets the new actions and orders.
  std::uint64_t add(const files::InputFile& file, std::uint8_t actions, std::uint64_t count_order,
                    std::uint64_t tokenize_order) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto [it, fresh] = by_path_.try_emplace(normal(file.path), entries_.size());
    if (fresh) entries_.push_back({file, 0, {0, 0}});
    Entry& e = entries_[it->second];
    e.actions |= actions;
    if (actions & kCount) e.order[0] = count_order;
    if (actions & kTokenize) e.order[1] = tokenize_order;
    return it->second;
  }

  // A copy: the other source may add entries (and move them) meanwhile.
  [[nodiscard]] std::pair<files::InputFile, std::uint8_t> file_and_actions(std::uint64_t id) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return {entries_[id].file, entries_[id].actions};
  }

  // After the engine: the files of the stage doing `action`, in its order.
  [[nodiscard]] StageInputs for_stage(std::uint8_t action) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    const int slot = action == kCount ? 0 : 1;
    std::vector<std::uint64_t> ids;
    for (std::uint64_t id = 0; id < entries_.size(); ++id)
      if (entries_[id].actions & action) ids.push_back(id);
    std::sort(ids.begin(), ids.end(),
              [&](std::uint64_t a, std::uint64_t b) { return entries_[a].order[slot] < entries_[b].order[slot]; });
    StageInputs s;
    s.position_of_file.assign(entries_.size(), -1);
    for (std::uint64_t id : ids) {
      s.position_of_file[id] = static_cast<std::int64_t>(s.files.size());
      s.files.push_back(entries_[id].file);
    }
    return s;
  }

 private:
  struct Entry {
    files::InputFile file;
    std::uint8_t actions;
    std::uint64_t order[2];  // in the count and the tokenize stage
  };
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  std::map<std::string, std::uint64_t> by_path_;  // by normalised path
};

struct Plan {
  const JobStages& stages;
  std::uint64_t chunk = UINT64_MAX;
  MemberSplit split;                                    // count's
  int rank_threads = 1;                                 // worker threads per rank
  std::map<std::string, std::uint64_t> download_index;  // normalised target path -> URL list position
  std::string download_dir;                             // normalised
};

bool download_temporary(const std::string& path, const Plan& plan) {
  const std::filesystem::path p(path);
  return p.parent_path().string() == plan.download_dir && fetch::is_temporary_name(p.filename().string());
}

// A file's pieces in a job. A member is cut into deflate chunks only for
// counting: reading one in segments takes a second round, which only the
// tokenize stage runs (tokenize_stage.hpp); a large gzip file only
// tokenized is read whole, with the rank's other threads tokenizing blocks
// of its text (text_blocks.hpp).
std::vector<Piece> job_pieces(const files::InputFile& f, std::uint64_t id, std::uint8_t actions, const Plan& plan) {
  MemberSplit split = plan.split;
  if (actions == kTokenize) split = {.policy = SplitPolicy::automatic, .workers = 1, .rank_threads = plan.rank_threads};
  return pieces_of(f, id, actions, plan.chunk, split);
}

void emit_file(const JobInputs& inputs, std::uint64_t id, const Plan& plan, const Emit& emit) {
  const auto [f, actions] = inputs.file_and_actions(id);
  if (!f.problem.empty()) return;
  emit(job_pieces(f, id, actions, plan));
}

// Walks the count paths, then the tokenize paths, and hands out each file
// as soon as every stage that may take it has seen it, so that a file both
// take is one piece, decoded once: a file the count walk finds goes out at
// once unless the tokenize paths cover it too (by name), when it waits for
// the tokenize walk; a file the tokenize walk finds goes out at once (with
// the actions not yet handed out); a waiting file that walk did not find
// goes out after it.
struct WalkSpan {
  double started = 0, finished = 0;
  std::size_t files = 0;
};

Source walk_source(const Plan& plan, JobInputs& inputs, WalkSpan& timing, const results::Clock& clock) {
  return [&plan, &inputs, &timing, &clock](const Emit& emit) {
    timing.started = clock.now();
    std::unordered_map<std::uint64_t, std::uint8_t> sent;  // per file id, the actions handed out
    std::vector<std::uint64_t> waiting;
    const auto send = [&](std::uint64_t id) {
      const auto [f, actions] = inputs.file_and_actions(id);
      std::uint8_t& done = sent[id];
      const auto fresh = static_cast<std::uint8_t>(actions & ~done);
      done |= fresh;
      if (fresh != 0 && f.problem.empty()) emit(job_pieces(f, id, fresh, plan));
    };
    const JobStages& stages = plan.stages;
    const auto walk = [&](const std::vector<std::string>& roots, const std::vector<std::string>& include,
                          std::uint8_t action, bool strict) {
      std::uint64_t order = 0;
      files::walk_inputs(roots, include, [&](files::InputFile f) {
        const std::string key = normal(f.path);
        if (plan.download_index.count(key) || download_temporary(key, plan)) return;
        if (!f.problem.empty() && strict) stop_job_for_input(f.path, f.problem);
        const bool wait =
            action == kCount && stages.tokenize && covered_by(f.path, stages.tokenize->paths, stages.tokenize->include);
        const std::uint64_t id = inputs.add(f, action, order, order);
        ++order;
        if (wait)
          waiting.push_back(id);
        else
          send(id);
      });
    };
    if (stages.count) walk(stages.count->paths, stages.count->include, kCount, stages.count->strict);
    if (stages.tokenize) walk(stages.tokenize->paths, stages.tokenize->include, kTokenize, stages.tokenize->strict);
    for (std::uint64_t id : waiting) send(id);
    timing.finished = clock.now();
    timing.files = sent.size();
  };
}

// The stages a landed file goes to.
std::uint8_t actions_for_download(const std::string& path, const Plan& plan) {
  std::uint8_t actions = 0;
  const JobStages& s = plan.stages;
  if (s.count && (named_gz(path) || covered_by(path, s.count->paths, s.count->include))) actions |= kCount;
  if (s.tokenize && (!named_gz(path) || covered_by(path, s.tokenize->paths, s.tokenize->include))) actions |= kTokenize;
  return actions;
}

Source download_source(const Plan& plan, PreparedFetch& prepared, JobInputs& inputs, FetchedFiles& fetched,
                       const results::Clock& clock, FetchObserver& observer) {
  return [&plan, &prepared, &inputs, &fetched, &clock, &observer](const Emit& emit) {
    fetched = run_transfers(*plan.stages.fetch, prepared, clock, observer, [&](const fetch::TransferRecord& r) {
      if (r.outcome == fetch::TransferOutcome::failed) return;  // named by the fetch stage
      const std::uint8_t actions = actions_for_download(r.path, plan);
      if (actions == 0) return;
      struct stat st {};
      files::InputFile f{r.path, 0, {}};
      if (::stat(r.path.c_str(), &st) == 0) f.size = static_cast<std::uint64_t>(st.st_size);
      const std::uint64_t order = kFetchedOrder + plan.download_index.at(normal(r.path));
      emit_file(inputs, inputs.add(f, actions, order, order), plan, emit);
    });
  };
}

}  // namespace

JobOutcome run_job_pipeline(const JobStages& stages, RunContext& run, std::ostream& err, FetchObserver& observer) {
  const double stage_start = run.clock.now();
  const int rank = run.world.rank;
  const results::Clock& clock = run.clock;
  Plan plan{stages, UINT64_MAX, {}, run.threads, {}, {}};
  if (stages.tokenize) plan.chunk = stages.tokenize->chunk_size;
  if (stages.count) plan.split = stages.count->split;

  JobOutcome outcome;
  int status = kExitOk;
  std::optional<PreparedFetch> prepared;
  if (rank == 0 && stages.fetch) {
    prepared = prepare_fetch(*stages.fetch, err, status);
    if (prepared) {
      plan.download_dir = normal(prepared->dir->path());
      for (std::size_t i = 0; i < prepared->request.jobs.size(); ++i)
        plan.download_index.emplace(normal(prepared->dir->path() + "/" + prepared->request.jobs[i].name), i);
    }
  }
  if (const int agreed = agree_on_status(status); agreed != kExitOk) {
    outcome.status = agreed;
    return outcome;
  }
  if (stages.count) parallel::inject_fault_if_asked(rank, "count");
  if (stages.tokenize) parallel::inject_fault_if_asked(rank, "tokenize");

  // Lanes 0..threads-1: the workers; lane `threads`: rank 0's walk.
  results::EventLog log(rank, run.threads + 1);
  const gzip::InflateBackend count_backend = stages.count ? stages.count->backend : gzip::default_backend();
  const gzip::InflateBackend tokenize_backend = stages.tokenize ? stages.tokenize->backend : gzip::default_backend();
  const tokenize::TokenizeOptions rule = stages.tokenize ? stages.tokenize->rule : tokenize::TokenizeOptions{};
  CountWork count_work({count_backend, stages.count && stages.count->strict, rank, run.threads, clock, log});
  TokenizeWork tokenize_work(
      {tokenize_backend, stages.tokenize && stages.tokenize->strict, rank, run.threads, clock, log}, rule);
  CountTokenizeWork work(count_work, tokenize_work, log);

  JobInputs inputs;
  WalkSpan walked;
  FetchedFiles fetched;
  std::vector<Source> sources;
  if (rank == 0) {
    if (stages.count || stages.tokenize) sources.push_back(walk_source(plan, inputs, walked, clock));
    if (prepared) sources.push_back(download_source(plan, *prepared, inputs, fetched, clock, observer));
  }
  const EngineTotals engine = run_engine(
      {.rank = rank, .ranks = run.world.size, .threads = run.threads, .yield_nice = prepared ? kYieldToDownloads : 0},
      sources, work, clock, log);
  log.record(0, Stage::pipeline, engine.start, engine.end, 0, engine.pieces);
  run.me.busy_seconds = engine.end - engine.start;
  if (rank == 0) log.record(run.threads, Stage::walk, walked.started, walked.finished, 0, walked.files);

  if (rank == 0 && prepared) outcome.fetch = std::move(fetched.report);

  // The engine's own events (pieces, waits, the walk) as a step of their own.
  outcome.engine.content.steps = {kPipelineStep};
  keep_events(run, kPipelineStep, log.take_all());

  // A stage whose settings name no paths and that no download reached is
  // left out, as a stage with nothing to do.
  const auto has_work = [&](const JobInputs::StageInputs& mine, const std::vector<std::string>& paths) {
    return parallel::broadcast_int(rank == 0 && (!mine.files.empty() || !paths.empty()) ? 1 : 0, 0) != 0;
  };
  if (stages.count) {
    results::EventLog finish_log(rank, 1);
    CountOutcome out;
    out.world = run.world;
    out.threads = run.threads;
    out.backend = count_backend;
    out.strict = stages.count->strict;
    out.list_files = stages.count->list_files;
    JobInputs::StageInputs mine;
    if (rank == 0) mine = inputs.for_stage(kCount);
    if (has_work(mine, stages.count->paths)) {
      if (rank == 0) out.inputs = mine.files;
      outcome.count =
          finish_count(run, std::move(out), count_work.take_records(), count_work.take_chunk_records(), finish_log,
                       stage_start, mine.position_of_file);
    }
  }
  if (stages.tokenize) {
    results::EventLog finish_log(rank, 1);
    JobInputs::StageInputs mine;
    if (rank == 0) mine = inputs.for_stage(kTokenize);
    if (has_work(mine, stages.tokenize->paths)) {
      TokenizeOutcome out = finish_tokenize(*stages.tokenize, run, mine.files, tokenize_work, finish_log, stage_start,
                                            mine.position_of_file);
      outcome.tokenize = std::move(out);
    }
  }
  return outcome;
}

}  // namespace juggle::pipeline
