// A table of text cells in the formats `juggle report` writes: an aligned
// table for people (the default), CSV, JSON and Markdown. One renderer for
// every table of the report (runs, studies, benchmarks), so quoting and
// escaping are right everywhere: machine formats carry only data.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "results/text_cells.hpp"

namespace juggle::report {

enum class ReportFormat : std::uint8_t { table, csv, json, markdown };

[[nodiscard]] std::optional<ReportFormat> parse_report_format(std::string_view text) noexcept;

// Writes `table`; for table and markdown a non-empty `title` comes first.
void render_text_table(const results::TextTable& table, ReportFormat format, std::ostream& out, std::string_view title = {});

[[nodiscard]] std::string json_string(std::string_view s);
[[nodiscard]] std::string csv_field(std::string_view s);

}  // namespace juggle::report
