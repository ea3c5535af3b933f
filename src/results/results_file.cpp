#include "results/results_file.hpp"

#include <algorithm>
#include <stdexcept>

#include "results/event_columns.hpp"
#include "results/h5_handles.hpp"
#include "results/stages.hpp"

namespace juggle::results {
namespace {

void write_attributes(hid_t object, const Attributes& attributes) {
  for (const auto& [name, value] : attributes)
    std::visit([&, &key = name](const auto& v) { h5::write_attribute(object, key, v); }, value);
}

void write_events(hid_t file, const ResultsContent& content) {
  const h5::Handle group = h5::create_group(file, kEventsGroup);
  if (content.event_rows) {
    // Empty, at full size: the ranks write their rows (rank_rows.hpp).
    for_each_event_column(EventColumns{}, [&]<class T>(const char* name, const std::vector<T>&) {
      h5::create_column<T>(group.id(), name, *content.event_rows);
    });
    return;
  }
  for_each_event_column(event_columns(content.events), [&]<class T>(const char* name, const std::vector<T>& values) {
    h5::write_column(group.id(), name, std::span<const T>(values));
  });
}

void write_ranks(hid_t file, const std::vector<RankRecord>& ranks) {
  std::vector<std::int32_t> rank;
  std::vector<std::string> hostname;
  std::vector<double> offset;
  for (const RankRecord& r : ranks) {
    rank.push_back(r.rank);
    hostname.push_back(r.hostname);
    offset.push_back(r.wtime_offset);
  }
  const h5::Handle group = h5::create_group(file, "ranks");
  h5::write_column(group.id(), "rank", std::span<const std::int32_t>(rank));
  h5::write_column(group.id(), "hostname", std::span<const std::string>(hostname));
  h5::write_column(group.id(), "wtime_offset", std::span<const double>(offset));
  const auto column = [&](const char* name, std::uint64_t RankRecord::*field) {
    std::vector<std::uint64_t> values;
    for (const RankRecord& r : ranks) values.push_back(r.*field);
    h5::write_column(group.id(), name, std::span<const std::uint64_t>(values));
  };
  column("peak_rss_kb", &RankRecord::peak_rss_kb);
  column("collectives", &RankRecord::collectives);
  column("collective_bytes", &RankRecord::collective_bytes);
  column("messages", &RankRecord::messages);
  column("message_bytes", &RankRecord::message_bytes);
}

h5::Handle open_or_create_group(hid_t file, const char* name) {
  if (H5Lexists(file, name, H5P_DEFAULT) > 0)
    return h5::Handle(H5Gopen2(file, name, H5P_DEFAULT), H5Gclose, std::string("open group ") + name);
  return h5::create_group(file, name);
}

void write_table(hid_t file, const Table& table) {
  const h5::Handle group = open_or_create_group(file, table.group.c_str());
  for (const auto& [name, column] : table.columns)
    std::visit([&, &key = name](const auto& values) { h5::write_column(group.id(), key, std::span(values)); }, column);
}

// Empty, at full size: the ranks write their rows (rank_rows.hpp); but a
// variable-length text column, which rank 0 holds whole.
void create_spread_table(hid_t file, const SpreadTable& table) {
  const h5::Handle group = open_or_create_group(file, table.group.c_str());
  for (const SpreadColumn& c : table.columns) {
    if (c.type == kTextColumn) {
      if (c.text_width > 0) {
        h5::create_text_column(group.id(), c.name, table.rows, c.text_width);
      } else {
        if (c.whole.size() != table.rows) throw std::logic_error(table.group + "/" + c.name + ": not held whole");
        h5::write_column(group.id(), c.name, std::span<const std::string>(c.whole));
      }
      continue;
    }
    std::visit(
        [&]<class T>(const std::vector<T>&) {
          if constexpr (h5::RowElement<T>) h5::create_column<T>(group.id(), c.name, table.rows);
        },
        empty_column(c.type));
  }
}

}  // namespace

bool steps_in_range(std::span<const Event> events, std::size_t steps) noexcept {
  return std::all_of(events.begin(), events.end(),
                     [steps](const Event& e) { return e.step >= 0 && static_cast<std::size_t>(e.step) < steps; });
}

void write_results_file(const std::string& path, const ResultsContent& content) {
  if (content.steps.empty()) throw std::invalid_argument(path + ": a results file needs at least one step");
  if (content.event_rows && !content.events.empty())
    throw std::invalid_argument(path + ": events given both whole and as the ranks' rows");
  if (!steps_in_range(content.events, content.steps.size()))
    throw std::invalid_argument(path + ": an event's step is outside the run's steps");
  h5::silence_hdf5_errors();
  h5::Handle file = h5::create_file(path);
  write_attributes(file.id(), content.root);
  const auto names = stage_names();
  const std::vector<std::string> stage_list(names.begin(), names.end());
  h5::write_column(file.id(), "stages", std::span<const std::string>(stage_list));
  h5::write_column(file.id(), "steps", std::span<const std::string>(content.steps));
  write_events(file.id(), content);
  write_ranks(file.id(), content.ranks);
  for (const SpreadTable& table : content.spread_tables) create_spread_table(file.id(), table);
  for (const Table& table : content.tables) write_table(file.id(), table);
  if (content.vocabulary) {
    const h5::Handle group = open_or_create_group(file.id(), kVocabularyTable);
    // Empty, at full size: the ranks write their rows (rank_rows.hpp).
    h5::create_column<std::uint64_t>(group.id(), kVocabularyCounts, content.vocabulary->rows);
    h5::create_column<std::uint8_t>(group.id(), kVocabularyPrefix, content.vocabulary->rows);
    h5::create_column<std::uint8_t>(group.id(), kVocabularySuffixes, content.vocabulary->suffix_bytes);
  }
  for (const AttributeGroup& group : content.attribute_groups) {
    const h5::Handle g = h5::create_group(file.id(), group.group);
    write_attributes(g.id(), group.attributes);
  }
  file.close("close " + path);
}

}  // namespace juggle::results
