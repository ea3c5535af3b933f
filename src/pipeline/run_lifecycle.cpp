#include "pipeline/run_lifecycle.hpp"

#include <omp.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "files/interrupt.hpp"
#include "parallel/affinity.hpp"
#include "parallel/collectives.hpp"
#include "parallel/fault_injection.hpp"
#include "pipeline/exit_status.hpp"
#include "results/output_path.hpp"

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
    if (c.ranks.empty()) c.ranks = part.ranks;
    c.tables.insert(c.tables.end(), part.tables.begin(), part.tables.end());
    c.attribute_groups.insert(c.attribute_groups.end(), part.attribute_groups.begin(), part.attribute_groups.end());
  }
  if (c.ranks.empty()) c.ranks.push_back({run.me.rank, run.me.hostname, run.me.wtime_offset});
  return c;
}

int combined_status(const std::vector<StageReport>& stages) {
  for (const StageReport& s : stages)
    if (s.status != kExitOk) return s.status;
  return kExitOk;
}

std::string publish_results(const results::ResultsContent& content, const RunContext& c, const OutputSettings& output,
                            std::ostream& err) {
  const std::string temp = results::temporary_path_for(c.output_path);
  const files::RemoveOnInterrupt guard(temp);
  try {
    results::write_results_file(temp, content);
    parallel::inject_fault_if_asked(c.world.rank, "results");
    return results::publish(temp, c.output_path, output.force, output.output.empty());
  } catch (const std::exception& e) {
    ::unlink(temp.c_str());
    err << "juggle: " << c.output_path << ": results not written: " << e.what() << '\n';
    return "";
  }
}

}  // namespace juggle::pipeline
