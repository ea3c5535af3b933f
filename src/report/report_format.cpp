#include "report/report_format.hpp"


namespace juggle::report {
namespace {

std::string number(double v, int digits) { return results::fixed_number(v, digits); }

// A number cell in JSON: bare, or null where there is no value.
std::string json_number(const std::string& cell) { return cell.empty() ? "null" : cell; }

// A whole-number root attribute in JSON: a number, or null where the file
// has none (an attribute is text in results::RunData, whatever its type).
std::string json_integer(const results::RunData& run, const std::string& name) {
  const std::optional<std::int64_t> value = run.integer_attribute(name);
  return value ? std::to_string(*value) : "null";
}

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

// A step's cells, in the order of kStepColumns.
std::vector<std::string> step_cells(const StepStats& s) {
  return {s.step, number(s.wall, 6), number(s.busy, 6), number(100 * s.share, 1)};
}

const std::vector<std::string> kStepColumns = {"name", "wall_s", "busy_s", "share_pct"};
const std::vector<std::string> kStepHeads = {"step", "wall s", "busy s", "share"};

std::vector<std::string> overlap_cells(const StepOverlap& o) { return {o.a, o.b, number(o.seconds, 6)}; }

const std::vector<std::string> kOverlapColumns = {"a", "b", "seconds"};

// Seconds in a sentence: three decimals, as the title's run wall; an overlap
// too short for them still reads as one.
std::string seconds_in_words(double v) {
  if (v > 0 && v < 0.0005) return "< 0.001 s";
  const std::string n = number(v, 3);
  return (n.empty() ? "-" : n) + " s";
}

// The note on overlapping steps: a summary line, then one line per pair.
// Empty when no two steps ran at the same time.
std::vector<std::string> overlap_note(const RunReport& r) {
  if (r.steps.overlaps.empty()) return {};
  std::string summary = "steps overlapped: ";
  for (std::size_t i = 0; i < r.steps.steps.size(); ++i)
    summary += (i ? " + " : "") + r.steps.steps[i].step + " " + seconds_in_words(r.steps.steps[i].wall);
  summary += " = " + seconds_in_words(r.steps.wall_sum) + " of step walls; the run took " + seconds_in_words(r.wall);
  std::vector<std::string> lines{summary};
  for (const StepOverlap& o : r.steps.overlaps)
    lines.push_back(o.a + " ran together with " + o.b + " for " + seconds_in_words(o.seconds));
  return lines;
}

std::string title(const RunReport& r) {
  const results::RunData& d = r.run;
  return d.path + ": " + d.attribute("subcommand") + ", " + d.attribute("mpi_ranks") + " ranks x " +
         d.attribute("omp_threads") + " threads on " + d.attribute("hostname") + ", " + d.attribute("created_utc") +
         ", wall " + number(r.wall, 3) + " s";
}

results::TextTable stage_table(const RunReport& r) {
  results::TextTable t{kHeads, std::vector<bool>(kHeads.size(), false), {}};
  t.text[0] = true;
  for (const StageStats& s : r.stages) t.rows.push_back(cells(s));
  return t;
}

results::TextTable step_table(const RunReport& r) {
  results::TextTable t{kStepHeads, std::vector<bool>(kStepHeads.size(), false), {}};
  t.text[0] = true;
  for (const StepStats& s : r.steps.steps) t.rows.push_back(step_cells(s));
  return t;
}

// For people: the stage table; with several steps the step table and the
// note on their overlap after it.
void people_run(const RunReport& r, ReportFormat format, std::ostream& out) {
  render_text_table(stage_table(r), format, out, title(r));
  if (r.steps.steps.size() < 2) return;
  render_text_table(step_table(r), format, out,
                    r.run.path + " by step (wall: union of the step's events; busy: thread-seconds)");
  const std::vector<std::string> note = overlap_note(r);
  if (note.empty()) return;
  if (format == ReportFormat::markdown) {
    out << note[0] << ":\n\n";
    for (std::size_t i = 1; i < note.size(); ++i) out << "- " << note[i] << '\n';
    out << '\n';
    return;
  }
  out << "  " << note[0] << '\n';
  for (std::size_t i = 1; i < note.size(); ++i) out << "    " << note[i] << '\n';
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

// A JSON array of objects on one line: `keys` name the cells of each row;
// the first `text_columns` cells are strings, the others numbers.
template <typename Row, typename Cells>
void json_array(const std::vector<Row>& rows, Cells cells_of, const std::vector<std::string>& keys,
                std::size_t text_columns, std::ostream& out) {
  out << "[";
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::vector<std::string> row = cells_of(rows[k]);
    out << (k ? ", " : "") << "{";
    for (std::size_t c = 0; c < row.size(); ++c)
      out << (c ? ", " : "") << json_string(keys[c]) << ": "
          << (c < text_columns ? json_string(row[c]) : json_number(row[c]));
    out << "}";
  }
  out << "]";
}

// One JSON document, an array with an object per file: a run's stages,
// steps and overlaps, or a benchmark's tables.
void json(const std::vector<RunReport>& runs, const std::vector<RunReport>& benches, std::ostream& out) {
  out << "[";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunReport& r = runs[i];
    out << (i ? ",\n " : "\n ") << "{\"file\": " << json_string(r.run.path)
        << ", \"subcommand\": " << json_string(r.run.attribute("subcommand"))
        << ", \"mpi_ranks\": " << json_integer(r.run, "mpi_ranks")
        << ", \"omp_threads\": " << json_integer(r.run, "omp_threads")
        << ", \"created_utc\": " << json_string(r.run.attribute("created_utc")) << ", \"run_wall_s\": "
        << json_number(number(r.wall, 6)) << ", \"stages\": ";
    json_array(r.stages, cells, kColumns, 1, out);
    out << ", \"steps\": ";
    json_array(r.steps.steps, step_cells, kStepColumns, 1, out);
    out << ", \"overlaps\": ";
    json_array(r.steps.overlaps, overlap_cells, kOverlapColumns, 2, out);
    out << "}";
  }
  for (std::size_t i = 0; i < benches.size(); ++i) {
    const results::RunData& b = benches[i].run;
    out << (i || !runs.empty() ? ",\n " : "\n ") << "{\"file\": " << json_string(b.path) << ", \"bench\": ";
    render_text_table(b.bench, ReportFormat::json, out);
    out << ", \"bench_targets\": ";
    render_text_table(b.bench_targets, ReportFormat::json, out);
    out << "}";
  }
  out << "\n]\n";
}

}  // namespace

RunReport make_run_report(results::RunData run) {
  RunReport r;
  r.wall = run_wall(run);
  r.stages = stage_stats(run);
  r.steps = step_timing(run);
  r.run = std::move(run);
  return r;
}

void render_report(const std::vector<RunReport>& all, ReportFormat format, std::ostream& out) {
  // Benchmark files have their own tables; the runs' stage tables come first.
  std::vector<RunReport> runs, benches;
  for (const RunReport& r : all) (r.run.bench.heads.empty() ? runs : benches).push_back(r);
  if (format == ReportFormat::json) return json(runs, benches, out);
  for (const RunReport& b : benches) {
    const results::RunData& d = b.run;
    const std::string head = d.path + ": make bench on " + d.attribute("hostname") + ", " + d.attribute("cores") +
                             " cores, scale " + d.attribute("bench_scale") + ", " + d.attribute("created_utc");
    render_text_table(d.bench, format, out, head);
    if (!d.bench_targets.heads.empty() && format != ReportFormat::csv)
      render_text_table(d.bench_targets, format, out, "targets (met: 1 yes, 0 no, -1 not measured)");
  }
  switch (format) {
    case ReportFormat::table:
    case ReportFormat::markdown:
      for (const RunReport& r : runs) people_run(r, format, out);
      break;
    case ReportFormat::csv:
      if (!runs.empty() || benches.empty()) csv(runs, out);  // no file read: the header alone
      break;
    case ReportFormat::json: break;
  }
}

}  // namespace juggle::report
