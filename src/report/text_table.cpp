#include "report/text_table.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "tokenize/utf8.hpp"

namespace juggle::report {

std::optional<ReportFormat> parse_report_format(std::string_view text) noexcept {
  if (text == "table") return ReportFormat::table;
  if (text == "csv") return ReportFormat::csv;
  if (text == "json") return ReportFormat::json;
  if (text == "markdown") return ReportFormat::markdown;
  return std::nullopt;
}

// JSON text is Unicode: a byte that starts no valid UTF-8 sequence (a file
// name or host name is bytes on Linux, and a damaged file may hold anything)
// becomes U+FFFD, so every consumer can parse the output.
std::string json_string(std::string_view s) {
  std::string out = "\"";
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const tokenize::Decoded d = tokenize::decode_utf8(p, end);
    if (d.length == 0) {
      out += "\\ufffd";
      ++p;
      continue;
    }
    switch (d.cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (d.cp < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(d.cp));
          out += esc;
        } else {
          out.append(reinterpret_cast<const char*>(p), d.length);
        }
    }
    p += d.length;
  }
  return out + "\"";
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

namespace {

bool is_text(const results::TextTable& t, std::size_t c) { return c < t.text.size() && t.text[c]; }

// A '|' inside a Markdown cell would end the cell.
std::string markdown_cell(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string shown(const results::TextTable& t, std::size_t c, const std::string& cell) {
  return cell.empty() && !is_text(t, c) ? "-" : cell;
}

void aligned(const results::TextTable& t, std::ostream& out, std::string_view title) {
  if (!title.empty()) out << title << '\n';
  std::vector<std::size_t> width(t.heads.size());
  for (std::size_t c = 0; c < t.heads.size(); ++c) width[c] = t.heads[c].size();
  for (const auto& row : t.rows)
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], shown(t, c, row[c]).size());
  const auto line = [&](const std::vector<std::string>& row, bool heads) {
    std::ostringstream text;
    text << (title.empty() ? "" : "  ");
    for (std::size_t c = 0; c < row.size(); ++c)
      text << (c ? "  " : "") << (is_text(t, c) ? std::left : std::right) << std::setw(static_cast<int>(width[c]))
           << (heads ? row[c] : shown(t, c, row[c]));
    std::string s = text.str();
    s.erase(s.find_last_not_of(' ') + 1);  // a left-aligned last column pads nothing
    out << s << '\n';
  };
  line(t.heads, true);
  for (const auto& row : t.rows) line(row, false);
}

void csv(const results::TextTable& t, std::ostream& out) {
  for (std::size_t c = 0; c < t.heads.size(); ++c) out << (c ? "," : "") << csv_field(t.heads[c]);
  out << '\n';
  for (const auto& row : t.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << csv_field(row[c]);
    out << '\n';
  }
}

void json(const results::TextTable& t, std::ostream& out) {
  out << "[";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    out << (i ? ",\n " : "\n ") << "{";
    for (std::size_t c = 0; c < t.heads.size() && c < t.rows[i].size(); ++c) {
      const std::string& cell = t.rows[i][c];
      out << (c ? ", " : "") << json_string(t.heads[c]) << ": "
          << (is_text(t, c) ? json_string(cell) : cell.empty() ? std::string("null") : cell);
    }
    out << "}";
  }
  out << "\n]\n";
}

void markdown(const results::TextTable& t, std::ostream& out, std::string_view title) {
  if (!title.empty()) out << "**" << title << "**\n\n";
  out << '|';
  for (const auto& h : t.heads) out << ' ' << h << " |";
  out << "\n|";
  for (std::size_t c = 0; c < t.heads.size(); ++c) out << (is_text(t, c) ? "---|" : "---:|");
  out << '\n';
  for (const auto& row : t.rows) {
    out << '|';
    for (std::size_t c = 0; c < row.size(); ++c) out << ' ' << markdown_cell(shown(t, c, row[c])) << " |";
    out << '\n';
  }
  if (!title.empty()) out << '\n';
}

}  // namespace

void render_text_table(const results::TextTable& table, ReportFormat format, std::ostream& out, std::string_view title) {
  switch (format) {
    case ReportFormat::table: aligned(table, out, title); break;
    case ReportFormat::csv: csv(table, out); break;
    case ReportFormat::json: json(table, out); break;
    case ReportFormat::markdown: markdown(table, out, title); break;
  }
}

}  // namespace juggle::report
