#include "pipeline/run_lifecycle.hpp"

#include <omp.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <ctime>

#include "parallel/affinity.hpp"
#include "parallel/collectives.hpp"
#include "parallel/fault_injection.hpp"
#include "pipeline/shared_temporary.hpp"
#include "pipeline/spread_tables.hpp"
#include "pipeline/exit_status.hpp"
#include "results/failed_on_another_rank.hpp"
#include "results/front_coded_words.hpp"
#include "results/output_path.hpp"
#include "results/rank_rows.hpp"

namespace juggle::pipeline {

RankStats rank_stats(const std::vector<RankSummary>& ranks) {
  RankStats s;
  if (ranks.empty()) return s;
  double sum = 0;
  for (const RankSummary& r : ranks) {
    sum += r.busy_seconds;
    if (r.busy_seconds > s.slowest) {
      s.slowest = r.busy_seconds;
      s.slowest_rank = r.rank;
    }
  }
  s.mean = sum / static_cast<double>(ranks.size());
  s.imbalance = s.mean > 0 ? s.slowest / s.mean - 1 : 0;
  return s;
}

int agree_on_status(int status) { return parallel::broadcast_int(status, 0); }

namespace {

std::vector<std::string> with(std::vector<std::string> paths, const std::string& path) {
  paths.push_back(path);
  return paths;
}

// Collective: whether every rank sees the directory of each output as rank 0
// does (the ranks write their parts of it at the end), checked now so that
// a run that cannot write its output stops before its work, not after.
bool ranks_share_outputs(std::vector<std::string> paths, const RunContext& c, std::ostream& err) {
  if (c.world.size == 1) return true;
  parallel::broadcast_strings(paths, 0);
  bool shared = true;
  for (const std::string& path : paths) {
    const SharedTemporary probe(path, c.world.rank);
    if (probe.problem().empty()) continue;
    if (c.world.rank == 0) err << "juggle: " << path << ": " << probe.problem() << '\n';
    shared = false;
  }
  return shared;
}

}  // namespace

int begin_run(const std::string& subcommand, const OutputSettings& output, int threads_option,
              const std::vector<std::string>& extra_targets, std::ostream& err, RunContext& c) {
  c.subcommand = subcommand;
  c.world = parallel::world_info();
  c.threads = threads_option > 0 ? threads_option : omp_get_max_threads();
  int status = kExitOk;
  if (c.world.rank == 0) {
    // (target, may it exist already?) A default name may: publishing it
    // takes the next free "-2", "-3", ... (runs started in the same second).
    std::vector<std::pair<std::string, bool>> targets;
    for (const std::string& path : extra_targets) targets.emplace_back(path, output.force);
    if (!output.no_output) {
      c.output_path =
          output.output.empty() ? results::default_output_path(subcommand, std::time(nullptr)) : output.output;
      targets.emplace_back(c.output_path, output.force || output.output.empty());
    }
    for (const auto& [path, may_exist] : targets) {
      if (const std::string why = results::check_output_target(path, may_exist); !why.empty()) {
        err << "juggle: " << path << ": " << why << '\n';
        status = kExitOutput;
      }
    }
  }
  if (agree_on_status(status) != kExitOk) return kExitOutput;
  if (!ranks_share_outputs(output.no_output ? extra_targets : with(extra_targets, c.output_path), c, err))
    return kExitOutput;
  // Threads beyond the CPUs a rank is bound to share cores (binding_warning).
  int cpus = parallel::usable_cpus();
  cpus = parallel::min_over_ranks(cpus);
  c.min_cpus = cpus;
  // The common epoch: every rank's clock starts right after one barrier.
  parallel::barrier();
  c.clock.restart();
  c.me.rank = c.world.rank;
  c.me.wtime_offset = parallel::wall_time();
  std::strncpy(c.me.hostname, c.world.hostname.c_str(), sizeof c.me.hostname - 1);
  return kExitOk;
}

void keep_events(RunContext& c, const std::string& step, std::vector<results::Event> events) {
  for (auto& [name, kept] : c.events) {
    if (name != step) continue;
    kept.insert(kept.end(), events.begin(), events.end());
    return;
  }
  c.events.emplace_back(step, std::move(events));
}

void note_rank_resources(RankSummary& me) {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) == 0) me.peak_rss_kb = static_cast<std::uint64_t>(usage.ru_maxrss);
  me.sent = parallel::traffic_so_far();
}

std::vector<RankSummary> gather_rank_summaries(RankSummary& me) {
  note_rank_resources(me);
  return parallel::gather_records<RankSummary>(std::span(&me, 1), 0);
}

results::RankRecord rank_record(const RankSummary& r) {
  return {r.rank,
          r.hostname,
          r.wtime_offset,
          r.peak_rss_kb,
          r.sent.collectives,
          r.sent.collective_bytes,
          r.sent.messages,
          r.sent.message_bytes};
}

std::string binding_warning(const RunContext& c) {
  if (c.threads <= c.min_cpus) return "";
  return "juggle: warning: " + std::to_string(c.threads) + " threads per rank, but a rank may use only " +
         std::to_string(c.min_cpus) + (c.min_cpus == 1 ? " CPU" : " CPUs") +
         " (its binding); with mpirun use --bind-to none or --map-by slot:PE=" + std::to_string(c.threads) + "\n";
}

results::RunFacts run_facts(const RunContext& c, const std::vector<std::string>& command_line) {
  results::RunFacts facts;
  facts.subcommand = c.subcommand;
  facts.command_line = command_line;
  facts.hostname = c.world.hostname;
  facts.mpi_ranks = c.world.size;
  facts.omp_threads = c.threads;
  facts.cpus_per_rank = c.min_cpus;
  facts.mpi_library = c.world.library;
  facts.wtime_is_global = c.world.wtime_is_global;
  return facts;
}

results::ResultsContent combine_results(const RunContext& run, const std::vector<std::string>& command_line,
                                        const std::vector<StageReport>& stages) {
  results::ResultsContent c;
  c.root = results::run_attributes(run_facts(run, command_line));
  for (const StageReport& s : stages) {
    const results::ResultsContent& part = s.content;
    c.root.insert(c.root.end(), part.root.begin(), part.root.end());
    // Each part numbers its own steps from 0; in the run they follow on.
    const auto first_step = static_cast<std::int32_t>(c.steps.size());
    c.steps.insert(c.steps.end(), part.steps.begin(), part.steps.end());
    for (results::Event e : part.events) {
      e.step += first_step;
      c.events.push_back(e);
    }
    if (!part.ranks.empty()) c.ranks = part.ranks;  // the last gathered: the most traffic counted
    c.tables.insert(c.tables.end(), part.tables.begin(), part.tables.end());
    c.attribute_groups.insert(c.attribute_groups.end(), part.attribute_groups.begin(), part.attribute_groups.end());
  }
  if (c.ranks.empty()) {  // no stage gathered the ranks (fetch, resolve): rank 0's own
    RankSummary me = run.me;
    note_rank_resources(me);
    c.ranks.push_back(rank_record(me));
  }
  return c;
}

int combined_status(const std::vector<StageReport>& stages) {
  for (const StageReport& s : stages)
    if (s.status != kExitOk) return s.status;
  return kExitOk;
}

namespace {

// This rank's rows of the vocabulary, front-coded, and where they go.
struct CodedRows {
  results::FrontCodedWords words;
  std::vector<std::uint64_t> counts;
  std::uint64_t first_row = 0;
  std::uint64_t first_suffix_byte = 0;
};

CodedRows code_rows(const RankVocabulary& vocabulary) {
  CodedRows coded;
  std::vector<std::string_view> words;
  words.reserve(vocabulary.rows.words.size());
  coded.counts.reserve(vocabulary.rows.words.size());
  for (const tokenize::WordCount& w : vocabulary.rows.words) {
    words.push_back(w.word);
    coded.counts.push_back(w.count);
  }
  coded.words = results::front_code(words, vocabulary.before);
  coded.first_row = vocabulary.rows.first_row;
  return coded;
}

// This rank's rows of /events: `given` (rank 0's, numbered already), then
// those it kept by step name, numbered by the run's `steps` (rank 0's list).
std::vector<results::Event> numbered_events(std::vector<results::Event> given, const RunContext& c,
                                            const std::vector<std::string>& steps) {
  if (!results::steps_in_range(given, steps.size())) throw std::logic_error("an event's step is outside the run's steps");
  for (const auto& [name, events] : c.events) {
    const auto at = std::find(steps.begin(), steps.end(), name);
    if (at == steps.end()) throw std::logic_error("events of the step " + name + ", which the run does not name");
    for (results::Event e : events) {
      e.step = static_cast<std::int32_t>(at - steps.begin());
      given.push_back(e);
    }
  }
  std::stable_sort(given.begin(), given.end(),
                   [](const results::Event& a, const results::Event& b) { return a.step < b.step; });
  return given;
}

// Every rank writes its rows (collective); "" or why, agreed by every rank.
// The failing rank's own reason wins over the others' "another rank failed".
// Only failures the ranks agreed on inside the writes are caught: any other
// exception was one rank's alone while the others may wait in a collective
// write, so it goes on to run_on_all_ranks, which stops the job (exit 4).
std::string write_rows(const std::string& path, const std::vector<results::Event>& events,
                       std::uint64_t first_event, const CodedRows* coded, std::vector<results::TablePart> tables) {
  std::string why;
  std::string echo;
  try {
    results::RankRows rows{events, first_event, std::nullopt, std::move(tables)};
    if (coded != nullptr)
      rows.vocabulary = results::VocabularyPart{coded->counts, coded->words.prefix, coded->words.suffixes,
                                                coded->first_row, coded->first_suffix_byte};
    results::write_rank_rows(path, rows);
  } catch (const results::FailedOnAnotherRank& e) {
    echo = e.what();
  } catch (const results::AgreedFailure& e) {
    why = e.what();
  }
  why = parallel::agree_on_failure(why);
  const std::string echoed = parallel::agree_on_failure(echo);
  return why.empty() ? echoed : why;
}

}  // namespace

std::vector<results::Table> file_rows_of(const std::vector<StageReport>& stages) {
  std::vector<results::Table> tables;
  for (const StageReport& s : stages) tables.insert(tables.end(), s.file_rows.begin(), s.file_rows.end());
  return tables;
}

std::string publish_results(results::ResultsContent content, const RankVocabulary* vocabulary,
                            const std::vector<results::Table>& file_rows, const RunContext& c,
                            const OutputSettings& output, std::ostream& err) {
  const int rank = c.world.rank;
  SharedTemporary shared(c.output_path, rank);
  const std::string& temp = shared.path();
  std::string why = shared.problem();
  std::vector<std::string> steps = content.steps;
  parallel::broadcast_strings(steps, 0);
  std::vector<results::Event> events;
  if (why.empty()) {
    try {
      events = numbered_events(std::move(content.events), c, steps);
    } catch (const std::exception& e) {
      why = e.what();
    }
  }
  content.events.clear();
  const std::uint64_t first_event = parallel::sum_before_me(events.size());
  content.event_rows = parallel::sum_over_ranks(events.size());
  CodedRows coded;
  if (vocabulary != nullptr) {
    if (why.empty()) {
      try {
        coded = code_rows(*vocabulary);
      } catch (const std::exception& e) {
        why = e.what();
      }
    }
    coded.first_suffix_byte = parallel::sum_before_me(coded.words.suffixes.size());
    const std::uint64_t suffix_bytes = parallel::sum_over_ranks(coded.words.suffixes.size());
    content.vocabulary = results::VocabularyShape{vocabulary->rows.total_rows, suffix_bytes};
  }
  AgreedTables tables = agree_on_tables(file_rows);
  for (results::SpreadTable& shape : tables.shapes) {  // a gathered column moves to rank 0's content
    content.spread_tables.push_back({shape.group, shape.rows, {}});
    for (results::SpreadColumn& column : shape.columns)
      content.spread_tables.back().columns.push_back(
          {column.name, column.type, column.text_width, std::move(column.whole)});
  }
  why = parallel::agree_on_failure(why);
  if (why.empty() && rank == 0) {
    try {
      results::write_results_file(temp, content);
    } catch (const std::exception& e) {
      why = e.what();
    }
  }
  why = parallel::agree_on_failure(why);
  parallel::inject_fault_if_asked(rank, "results");
  if (why.empty())
    why = write_rows(temp, events, first_event, vocabulary != nullptr ? &coded : nullptr, table_parts(tables, file_rows));
  std::vector<std::string> published;
  if (why.empty() && rank == 0) {
    try {
      published.push_back(results::publish(temp, c.output_path, output.force, output.output.empty()));
      shared.published();
    } catch (const std::exception& e) {
      why = e.what();
    }
  }
  why = parallel::agree_on_failure(why);
  if (!why.empty()) {
    if (rank == 0) err << "juggle: " << c.output_path << ": results not written: " << why << '\n';
    return "";  // `shared` removes the temporary
  }
  parallel::broadcast_strings(published, 0);
  return published.at(0);
}

}  // namespace juggle::pipeline
