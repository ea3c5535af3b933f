#include "results/report_format.hpp"


namespace juggle::results {
namespace {

std::string number(double v, int digits) { return fixed_number(v, digits); }

// A number cell in JSON: bare, or null where there is no value.
std::string json_number(const std::string& cell) { return cell.empty() ? "null" : cell; }

// One row's cells, in the order of kColumns.
std::vector<std::string> cells(const StageStats& s) {
  return {s.stage,
          std::to_string(s.events),
          number(s.wall, 6),
          number(100 * s.share, 1),
          number(s.busy_min, 6),
          number(s.busy_mean, 6),
          number(s.busy_max, 6),
          number(s.busy_stddev, 6),
          std::to_string(s.slowest_rank),
          number(100 * s.imbalance, 1),
          number(100 * s.efficiency, 1),
          number(s.mb_per_s, 1),
          number(s.items_per_s, 1)};
}

const std::vector<std::string> kColumns = {"stage",     "events",    "wall_s",       "share_pct", "busy_min_s",
                                           "busy_mean_s", "busy_max_s", "busy_stddev_s", "slowest_rank",
                                           "imbalance_pct", "efficiency_pct", "mb_per_s", "items_per_s"};
const std::vector<std::string> kHeads = {"stage", "events", "wall s", "share", "busy min", "mean", "max", "stddev",
                                         "slowest", "imbal %", "effic %", "MB/s", "items/s"};

std::string title(const RunReport& r) {
  const RunData& d = r.run;
  return d.path + ": " + d.attribute("subcommand") + ", " + d.attribute("mpi_ranks") + " ranks x " +
         d.attribute("omp_threads") + " threads on " + d.attribute("hostname") + ", " + d.attribute("created_utc") +
         ", wall " + number(r.wall, 3) + " s";
}

TextTable stage_table(const RunReport& r) {
  TextTable t{kHeads, std::vector<bool>(kHeads.size(), false), {}};
  t.text[0] = true;
  for (const StageStats& s : r.stages) t.rows.push_back(cells(s));
  return t;
}

void csv(const std::vector<RunReport>& runs, std::ostream& out) {
  out << "file,subcommand,mpi_ranks,omp_threads,run_wall_s";
  for (const std::string& c : kColumns) out << ',' << c;
  out << '\n';
  for (const RunReport& r : runs) {
    for (const StageStats& s : r.stages) {
      out << csv_field(r.run.path) << ',' << csv_field(r.run.attribute("subcommand")) << ','
          << r.run.attribute("mpi_ranks") << ',' << r.run.attribute("omp_threads") << ',' << number(r.wall, 6);
      for (const std::string& cell : cells(s)) out << ',' << csv_field(cell);
      out << '\n';
    }
  }
}

// One JSON document, an array with an object per file: a run's stages, or
// a benchmark's tables.
void json(const std::vector<RunReport>& runs, const std::vector<RunReport>& benches, std::ostream& out) {
  out << "[";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunReport& r = runs[i];
    out << (i ? ",\n " : "\n ") << "{\"file\": " << json_string(r.run.path)
        << ", \"subcommand\": " << json_string(r.run.attribute("subcommand"))
        << ", \"mpi_ranks\": " << json_string(r.run.attribute("mpi_ranks"))
        << ", \"omp_threads\": " << json_string(r.run.attribute("omp_threads"))
        << ", \"created_utc\": " << json_string(r.run.attribute("created_utc")) << ", \"run_wall_s\": "
        << json_number(number(r.wall, 6)) << ", \"stages\": [";
    for (std::size_t k = 0; k < r.stages.size(); ++k) {
      const std::vector<std::string> row = cells(r.stages[k]);
      out << (k ? ", " : "") << "{";
      for (std::size_t c = 0; c < row.size(); ++c)
        out << (c ? ", " : "") << json_string(kColumns[c]) << ": " << (c == 0 ? json_string(row[c]) : json_number(row[c]));
      out << "}";
    }
    out << "]}";
  }
  for (std::size_t i = 0; i < benches.size(); ++i) {
    const RunData& b = benches[i].run;
    out << (i || !runs.empty() ? ",\n " : "\n ") << "{\"file\": " << json_string(b.path) << ", \"bench\": ";
    render_text_table(b.bench, ReportFormat::json, out);
    out << ", \"bench_targets\": ";
    render_text_table(b.bench_targets, ReportFormat::json, out);
    out << "}";
  }
  out << "\n]\n";
}

}  // namespace

RunReport make_run_report(RunData run) {
  RunReport r;
  r.wall = run_wall(run);
  r.stages = stage_stats(run);
  r.run = std::move(run);
  return r;
}

void render_report(const std::vector<RunReport>& all, ReportFormat format, std::ostream& out) {
  // Benchmark files have their own tables; the runs' stage tables come first.
  std::vector<RunReport> runs, benches;
  for (const RunReport& r : all) (r.run.bench.heads.empty() ? runs : benches).push_back(r);
  if (format == ReportFormat::json) return json(runs, benches, out);
  for (const RunReport& b : benches) {
    const RunData& d = b.run;
    const std::string head = d.path + ": make bench on " + d.attribute("hostname") + ", " + d.attribute("cores") +
                             " cores, scale " + d.attribute("bench_scale") + ", " + d.attribute("created_utc");
    render_text_table(d.bench, format, out, head);
    if (!d.bench_targets.heads.empty() && format != ReportFormat::csv)
      render_text_table(d.bench_targets, format, out, "targets (met: 1 yes, 0 no, -1 not measured)");
  }
  switch (format) {
    case ReportFormat::table:
    case ReportFormat::markdown:
      for (const RunReport& r : runs) render_text_table(stage_table(r), format, out, title(r));
      break;
    case ReportFormat::csv:
      if (!runs.empty() || benches.empty()) csv(runs, out);  // no file read: the header alone
      break;
    case ReportFormat::json: break;
  }
}

}  // namespace juggle::results
