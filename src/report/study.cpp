#include "report/study.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace juggle::report {
namespace {

// A count of ranks or threads; 1 where the attribute is missing or makes no
// sense (a damaged file), so ranks x threads is never 0 or negative.
int count_attribute(const results::RunData& run, const std::string& name) {
  const std::int64_t n = run.integer_attribute(name).value_or(1);
  return n >= 1 && n <= std::numeric_limits<int>::max() ? static_cast<int>(n) : 1;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Which configuration is a better baseline: fewer cores, then the
// sequential fetch mode (so fetch modes are compared against it).
bool better_baseline(const Configuration& a, const Configuration& b) {
  if (a.cores() != b.cores()) return a.cores() < b.cores();
  return (a.mode == "sequential") > (b.mode == "sequential");
}

}  // namespace

Configuration configuration_of(const results::RunData& run) {
  return {run.attribute("subcommand"), count_attribute(run, "mpi_ranks"), count_attribute(run, "omp_threads"),
          run.attribute("fetch_mode")};
}

std::vector<StudyRow> study(const std::vector<RunReport>& runs, const std::optional<std::string>& baseline) {
  // configuration -> stage -> walls of the repeats
  std::map<Configuration, std::map<std::string, std::vector<double>>> walls;
  for (const RunReport& r : runs) {
    auto& stages = walls[configuration_of(r.run)];
    stages["(run)"].push_back(r.wall);
    for (const StageStats& s : r.stages) stages[s.stage].push_back(s.wall);
  }
  std::map<std::string, Configuration> base;  // per subcommand
  for (const auto& [config, stages] : walls) {
    const bool wanted = baseline && *baseline == std::to_string(config.ranks) + "x" + std::to_string(config.threads);
    const auto it = base.find(config.subcommand);
    if (it == base.end() || wanted || (!baseline && better_baseline(config, it->second))) base[config.subcommand] = config;
  }
  std::vector<StudyRow> rows;
  for (const auto& [config, stages] : walls) {
    const Configuration& b = base.at(config.subcommand);
    for (const auto& [stage, values] : stages) {
      StudyRow row;
      row.config = config;
      row.stage = stage;
      row.runs = static_cast<int>(values.size());
      row.median = median(values);
      row.min = *std::min_element(values.begin(), values.end());
      row.max = *std::max_element(values.begin(), values.end());
      const auto bs = walls.at(b).find(stage);
      const double base_median = bs != walls.at(b).end() ? median(bs->second) : 0;
      if (base_median > 0 && row.median > 0) {
        row.speedup = base_median / row.median;
        row.efficiency = *row.speedup / (static_cast<double>(config.cores()) / static_cast<double>(b.cores()));
      }
      rows.push_back(row);
    }
  }
  return rows;
}

void render_study(const std::vector<StudyRow>& rows, ReportFormat format, std::ostream& out) {
  results::TextTable t{{"subcommand", "mode", "ranks", "threads", "cores", "stage", "runs", "median_s", "min_s", "max_s",
               "speedup", "efficiency"},
              {true, true, false, false, false, true, false, false, false, false, false, false},
              {}};
  // An undefined ratio is an empty cell: "-", an empty CSV field, JSON null.
  const auto ratio = [](const std::optional<double>& v) { return v ? results::fixed_number(*v, 3) : std::string(); };
  for (const StudyRow& r : rows)
    t.rows.push_back({r.config.subcommand, r.config.mode, std::to_string(r.config.ranks),
                      std::to_string(r.config.threads), std::to_string(r.config.cores()), r.stage,
                      std::to_string(r.runs), results::fixed_number(r.median, 6), results::fixed_number(r.min, 6),
                      results::fixed_number(r.max, 6), ratio(r.speedup), ratio(r.efficiency)});
  render_text_table(t, format, out);
}

}  // namespace juggle::report
