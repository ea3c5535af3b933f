#include "results/report_format.hpp"

#include <cstdio>
#include <iomanip>
#include <sstream>

namespace juggle::results {
namespace {

std::string number(double v, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", c);
          out += esc;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
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

std::string title(const RunReport& r) {
  const RunData& d = r.run;
  return d.path + ": " + d.attribute("subcommand") + ", " + d.attribute("mpi_ranks") + " ranks x " +
         d.attribute("omp_threads") + " threads on " + d.attribute("hostname") + ", " + d.attribute("created_utc") +
         ", wall " + number(r.wall, 3) + " s";
}

void table(const std::vector<RunReport>& runs, std::ostream& out) {
  for (const RunReport& r : runs) {
    out << title(r) << '\n';
    std::vector<std::vector<std::string>> rows{kHeads};
    for (const StageStats& s : r.stages) rows.push_back(cells(s));
    std::vector<std::size_t> width(kHeads.size(), 0);
    for (const auto& row : rows)
      for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    for (const auto& row : rows) {
      out << "  ";
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (c == 0)
          out << std::left << std::setw(static_cast<int>(width[c])) << row[c];
        else
          out << "  " << std::right << std::setw(static_cast<int>(width[c])) << row[c];
      }
      out << '\n';
    }
    out << std::left;
  }
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

void json(const std::vector<RunReport>& runs, std::ostream& out) {
  out << "[";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunReport& r = runs[i];
    out << (i ? ",\n " : "\n ") << "{\"file\": " << json_string(r.run.path)
        << ", \"subcommand\": " << json_string(r.run.attribute("subcommand"))
        << ", \"mpi_ranks\": " << json_string(r.run.attribute("mpi_ranks"))
        << ", \"omp_threads\": " << json_string(r.run.attribute("omp_threads"))
        << ", \"created_utc\": " << json_string(r.run.attribute("created_utc")) << ", \"run_wall_s\": "
        << number(r.wall, 6) << ", \"stages\": [";
    for (std::size_t k = 0; k < r.stages.size(); ++k) {
      const std::vector<std::string> row = cells(r.stages[k]);
      out << (k ? ", " : "") << "{";
      for (std::size_t c = 0; c < row.size(); ++c)
        out << (c ? ", " : "") << json_string(kColumns[c]) << ": " << (c == 0 ? json_string(row[c]) : row[c]);
      out << "}";
    }
    out << "]}";
  }
  out << "\n]\n";
}

void markdown(const std::vector<RunReport>& runs, std::ostream& out) {
  for (const RunReport& r : runs) {
    out << "**" << title(r) << "**\n\n|";
    for (const std::string& h : kHeads) out << ' ' << h << " |";
    out << "\n|";
    for (std::size_t c = 0; c < kHeads.size(); ++c) out << (c == 0 ? "---|" : "---:|");
    out << '\n';
    for (const StageStats& s : r.stages) {
      out << '|';
      for (const std::string& cell : cells(s)) out << ' ' << cell << " |";
      out << '\n';
    }
    out << '\n';
  }
}

}  // namespace

std::optional<ReportFormat> parse_report_format(std::string_view text) noexcept {
  if (text == "table") return ReportFormat::table;
  if (text == "csv") return ReportFormat::csv;
  if (text == "json") return ReportFormat::json;
  if (text == "markdown") return ReportFormat::markdown;
  return std::nullopt;
}

RunReport make_run_report(RunData run) {
  RunReport r;
  r.wall = run_wall(run);
  r.stages = stage_stats(run);
  r.run = std::move(run);
  return r;
}

void render_report(const std::vector<RunReport>& runs, ReportFormat format, std::ostream& out) {
  switch (format) {
    case ReportFormat::table: table(runs, out); break;
    case ReportFormat::csv: csv(runs, out); break;
    case ReportFormat::json: json(runs, out); break;
    case ReportFormat::markdown: markdown(runs, out); break;
  }
}

}  // namespace juggle::results
