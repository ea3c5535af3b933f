// Results files are chunked and deflate-compressed where that pays, strings
// are fixed-width cells (variable-length for a very uneven column), the
// vocabulary is front-coded; whatever the layout, every value reads back
// exactly, by HDF5 itself and by juggle's reader.
#include <catch2/catch.hpp>

#include <hdf5.h>

#include <cstring>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "results/column_layout.hpp"
#include "results/fixed_width_text.hpp"
#include "results/front_coded_words.hpp"
#include "results/results_file.hpp"
#include "results/results_reader.hpp"
#include "results/run_metadata.hpp"
#include "results/stages.hpp"
#include "temp_dir.hpp"

using namespace juggle::results;

namespace {

struct Storage {
  H5D_layout_t layout = H5D_LAYOUT_ERROR;
  hsize_t chunk_rows = 0;
  bool deflate = false;
  bool shuffle = false;
  bool variable_string = false;
  hsize_t rows = 0;
};

Storage storage_of(hid_t file, const std::string& path) {
  const hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  REQUIRE(set >= 0);
  const hid_t props = H5Dget_create_plist(set);
  Storage s;
  s.layout = H5Pget_layout(props);
  if (s.layout == H5D_CHUNKED) REQUIRE(H5Pget_chunk(props, 1, &s.chunk_rows) == 1);
  for (int i = 0; i < H5Pget_nfilters(props); ++i) {
    unsigned flags = 0, config = 0;
    std::size_t n = 0;
    const H5Z_filter_t id = H5Pget_filter2(props, static_cast<unsigned>(i), &flags, &n, nullptr, 0, nullptr, &config);
    s.deflate = s.deflate || id == H5Z_FILTER_DEFLATE;
    s.shuffle = s.shuffle || id == H5Z_FILTER_SHUFFLE;
  }
  const hid_t type = H5Dget_type(set);
  s.variable_string = H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0;
  const hid_t space = H5Dget_space(set);
  H5Sget_simple_extent_dims(space, &s.rows, nullptr);
  H5Sclose(space);
  H5Tclose(type);
  H5Pclose(props);
  H5Dclose(set);
  return s;
}

template <class T>
std::vector<T> read_numbers(hid_t file, const std::string& path, hid_t memory_type) {
  const Storage s = storage_of(file, path);
  std::vector<T> values(s.rows);
  const hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (!values.empty()) REQUIRE(H5Dread(set, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  H5Dclose(set);
  return values;
}

// Fixed-width cells read as C strings (each ends at its NUL).
std::vector<std::string> read_fixed_strings(hid_t file, const std::string& path) {
  const hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  const hid_t type = H5Dget_type(set);
  REQUIRE(H5Tis_variable_str(type) == 0);
  CHECK(H5Tget_strpad(type) == H5T_STR_NULLTERM);
  CHECK(H5Tget_cset(type) == H5T_CSET_UTF8);
  const std::size_t width = H5Tget_size(type);
  const Storage s = storage_of(file, path);
  std::vector<char> cells(s.rows * width + 1, '\0');
  if (s.rows > 0) REQUIRE(H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, cells.data()) >= 0);
  std::vector<std::string> out;
  std::size_t unterminated = 0;
  for (hsize_t i = 0; i < s.rows; ++i) {
    unterminated += cells[(i + 1) * width - 1] != '\0';
    out.emplace_back(cells.data() + i * width);
  }
  CHECK(unterminated == 0);
  H5Tclose(type);
  H5Dclose(set);
  return out;
}

ResultsContent content_with_steps(std::vector<std::string> steps) {
  ResultsContent c;
  RunFacts facts;
  facts.subcommand = "count";
  c.root = run_attributes(facts);
  c.steps = std::move(steps);
  return c;
}

}  // namespace

TEST_CASE("tables of any length are compressed where it pays and read back exactly", "[results][compression]") {
  juggle::test::TempDir tmp;
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{31}, std::size_t{32}, std::size_t{200000}}) {
    INFO("rows: " << n);
    ResultsContent c = content_with_steps({"count"});
    std::vector<std::uint64_t> big;
    std::vector<std::int32_t> small;
    std::vector<double> real;
    std::vector<std::uint8_t> flag;
    std::vector<std::string> text;
    for (std::size_t i = 0; i < n; ++i) {
      big.push_back(i * i % 7919 + (std::uint64_t{1} << 40));
      small.push_back(static_cast<std::int32_t>(i % 3) - 1);
      real.push_back(0.001 * static_cast<double>(i));
      flag.push_back(static_cast<std::uint8_t>(i % 2));
      text.push_back(i % 5 == 0 ? "" : "w" + std::to_string(i) + "\xc3\xbc");
      c.events.push_back({0, 0, static_cast<std::int32_t>(Stage::count_file), 0, 0.5 * static_cast<double>(i),
                          0.5 * static_cast<double>(i) + 0.25, 4096, 1});
    }
    c.tables.push_back({"t", {{"big", Column(big)}, {"small", Column(small)}, {"real", Column(real)},
                              {"flag", Column(flag)}, {"text", Column(text)}}});
    const std::string path = (tmp.path() / ("rows-" + std::to_string(n) + ".h5")).string();
    write_results_file(path, c);

    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    CHECK(read_numbers<std::uint64_t>(file, "t/big", H5T_NATIVE_UINT64) == big);
    CHECK(read_numbers<std::int32_t>(file, "t/small", H5T_NATIVE_INT32) == small);
    CHECK(read_numbers<double>(file, "t/real", H5T_NATIVE_DOUBLE) == real);
    CHECK(read_numbers<std::uint8_t>(file, "t/flag", H5T_NATIVE_UINT8) == flag);
    CHECK(read_fixed_strings(file, "t/text") == text);
    // 8-byte numbers: compressed from 32 rows (256 bytes), shuffled; 1-byte
    // ones from 256 rows, never shuffled; text is never shuffled.
    const Storage b = storage_of(file, "t/big");
    CHECK((b.layout == H5D_CHUNKED) == (n >= 32));
    CHECK(b.deflate == (n >= 32));
    CHECK(b.shuffle == (n >= 32));
    if (b.layout == H5D_CHUNKED) CHECK(b.chunk_rows == std::min<hsize_t>(n, h5::kChunkBytes / 8));
    const Storage f = storage_of(file, "t/flag");
    CHECK(f.deflate == (n >= 256));
    CHECK_FALSE(f.shuffle);
    const Storage t = storage_of(file, "t/text");
    CHECK_FALSE(t.shuffle);
    CHECK(t.deflate == (n == 200000));  // 32 cells of up to 6 bytes stay contiguous
    CHECK(storage_of(file, "events/t_start").deflate == (n >= 32));
    H5Fclose(file);

    const RunData run = read_results(path);
    REQUIRE(run.events.size() == c.events.size());
    CHECK((c.events.empty() ||
           std::memcmp(run.events.data(), c.events.data(), c.events.size() * sizeof(Event)) == 0));
    CHECK(run.stages.size() == stage_names().size());
    CHECK(run.steps == c.steps);
  }
}

TEST_CASE("a column with one very long value stays variable-length; the reader reads both kinds",
          "[results][compression]") {
  std::vector<std::string> uneven(3000, "count");
  uneven[1234] = std::string(100000, 'x');
  REQUIRE_FALSE(fixed_width(uneven));  // 3000 x 100 KB of cells for 115 KB of text
  std::vector<std::string> even(3000, "tokenize");
  REQUIRE(fixed_width(even) == std::size_t{9});
  CHECK(fixed_width(std::vector<std::string>{}) == std::size_t{1});
  CHECK(fixed_width(std::vector<std::string>{"", ""}) == std::size_t{1});

  juggle::test::TempDir tmp;
  for (const auto* steps : {&uneven, &even}) {
    ResultsContent c = content_with_steps(*steps);
    c.events.push_back({0, 0, 0, 1234, 0.0, 1.0, 0, 0});
    const std::string path = (tmp.path() / "steps.h5").string();
    write_results_file(path, c);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const Storage s = storage_of(file, "steps");
    CHECK(s.variable_string == (steps == &uneven));
    CHECK(s.deflate);
    H5Fclose(file);
    const RunData run = read_results(path);
    CHECK(run.steps == *steps);
    CHECK(run.attribute("schema_version") == std::to_string(kSchemaVersion));
  }
}

TEST_CASE("front coding shares whole characters of the word before, and decodes exactly",
          "[results][compression]") {
  const std::vector<std::string> words = {"the",          "apple",        "applied",     "apply",
                                          "b",            "\xc3\xa9t\xc3\xa9",  // été
                                          "\xc3\xa8re",  // ère: shares the lead byte 0xc3 only, so nothing
                                          "\xc3\xa8rent", std::string(300, 'a') + "x", std::string(300, 'a') + "y",
                                          "don't",        "don't"};
  const FrontCodedWords coded = front_code(words);
  CHECK(coded.prefix == std::vector<std::uint8_t>{0, 0, 4, 4, 0, 0, 0, 4, 0, 255, 0, 5});
  CHECK(coded.suffixes.substr(0, 24) == "the\napple\nied\ny\nb\n\xc3\xa9t\xc3\xa9\n");
  CHECK(front_decode(coded.prefix, coded.suffixes) == words);
  CHECK(front_decode({}, "").empty());
  CHECK_THROWS_AS(front_code(std::vector<std::string>{"two\nwords"}), std::invalid_argument);
  const std::vector<std::uint8_t> too_long{0, 9};
  CHECK_THROWS_AS(front_decode(too_long, "ab\ncd\n"), std::invalid_argument);
  CHECK_THROWS_AS(front_decode(std::vector<std::uint8_t>{0}, "ab\ncd\n"), std::invalid_argument);
  CHECK_THROWS_AS(front_decode(std::vector<std::uint8_t>{0, 0}, "ab\n"), std::invalid_argument);
}

TEST_CASE("the vocabulary is written front-coded and compressed, and reads back as the words",
          "[results][compression]") {
  std::vector<std::string> words;
  std::vector<std::uint64_t> counts;
  for (int i = 0; i < 20000; ++i) {
    words.push_back("w" + std::to_string(100000 + i) + (i % 7 == 0 ? "\xc3\xa9" : ""));
    counts.push_back(static_cast<std::uint64_t>(20000 / (i + 1) + 1));
  }
  // Written in two parts, as two ranks would: each codes its rows after the
  // word before them, and the parts together are the code of the whole.
  const std::size_t cut = 12345;
  const std::vector<std::string_view> views(words.begin(), words.end());
  const FrontCodedWords first = front_code(std::span(views).first(cut), "");
  const FrontCodedWords second = front_code(std::span(views).subspan(cut), words[cut - 1]);
  const FrontCodedWords whole = front_code(words);
  ResultsContent c = content_with_steps({"tokenize"});
  c.tables.push_back({"tokenize", {}});
  c.tables.push_back({"tokenize/files", {{"words", Column(std::vector<std::uint64_t>{7})}}});
  c.vocabulary = VocabularyShape{words.size(), first.suffixes.size() + second.suffixes.size()};
  // The events too: rank 0's two rows, then rank 1's three.
  std::vector<Event> events;
  for (int i = 0; i < 5; ++i) events.push_back({i < 2 ? 0 : 1, 0, 1, 0, 0.5 * i, 0.5 * i + 0.25, 0, 1});
  c.event_rows = events.size();
  juggle::test::TempDir tmp;
  const std::string path = (tmp.path() / "vocabulary.h5").string();
  write_results_file(path, c);
  const std::span<const std::uint64_t> all_counts(counts);
  const std::span<const Event> all_events(events);
  write_rank_rows(path, {all_events.subspan(2), 2,
                         VocabularyPart{all_counts.subspan(cut), second.prefix, second.suffixes, cut,
                                        first.suffixes.size()}});
  write_rank_rows(path, {all_events.first(2), 0, VocabularyPart{all_counts.first(cut), first.prefix, first.suffixes, 0, 0}});

  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  CHECK(H5Lexists(file, "tokenize/words", H5P_DEFAULT) == 0);
  CHECK(read_numbers<std::uint64_t>(file, "tokenize/files/words", H5T_NATIVE_UINT64) == std::vector<std::uint64_t>{7});
  const auto prefix = read_numbers<std::uint8_t>(file, "tokenize/word_prefix", H5T_NATIVE_UINT8);
  const auto suffixes = read_numbers<char>(file, "tokenize/word_suffixes", H5T_NATIVE_UINT8);
  CHECK(prefix == whole.prefix);
  CHECK(front_decode(prefix, std::string_view(suffixes.data(), suffixes.size())) == words);
  CHECK(read_numbers<std::uint64_t>(file, "tokenize/counts", H5T_NATIVE_UINT64) == counts);
  CHECK(read_numbers<std::int32_t>(file, "events/rank", H5T_NATIVE_INT32) == std::vector<std::int32_t>{0, 0, 1, 1, 1});
  CHECK(read_numbers<double>(file, "events/t_start", H5T_NATIVE_DOUBLE) == std::vector<double>{0, 0.5, 1, 1.5, 2});
  for (const char* column : {"tokenize/word_prefix", "tokenize/word_suffixes", "tokenize/counts"}) {
    INFO(column);
    CHECK(storage_of(file, column).deflate);
  }
  // Neighbours share all but their last digits: the text is a fraction of the words' bytes.
  CHECK(suffixes.size() < 20000 * 4);
  H5Fclose(file);
  c.events = events;  // and as the ranks' rows: refused
  CHECK_THROWS_AS(write_results_file((tmp.path() / "both.h5").string(), c), std::invalid_argument);
}

TEST_CASE("juggle's reader takes a compressed column that holds more than the file's bytes", "[results][compression]") {
  // A million alike events: 40 MB of columns in a file of a few hundred KB.
  ResultsContent c = content_with_steps({"count"});
  c.events.assign(1000000, Event{1, 2, static_cast<std::int32_t>(Stage::count_file), 0, 0.5, 0.75, 4096, 1});
  juggle::test::TempDir tmp;
  const std::string path = (tmp.path() / "alike.h5").string();
  write_results_file(path, c);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  hsize_t bytes = 0;
  REQUIRE(H5Fget_filesize(file, &bytes) >= 0);
  H5Fclose(file);
  REQUIRE(bytes < c.events.size());  // fewer bytes than events: an uncompressed column could not hold them
  const RunData run = read_results(path);
  REQUIRE(run.events.size() == c.events.size());
  CHECK(std::memcmp(run.events.data(), c.events.data(), c.events.size() * sizeof(Event)) == 0);
}

namespace {

// A text column's cells, fixed-width or variable-length.
std::vector<std::string> read_strings(hid_t file, const std::string& path) {
  if (!storage_of(file, path).variable_string) return read_fixed_strings(file, path);
  const hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  const hid_t type = H5Dget_type(set);
  const Storage s = storage_of(file, path);
  std::vector<char*> cells(s.rows, nullptr);
  if (s.rows > 0) REQUIRE(H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, cells.data()) >= 0);
  std::vector<std::string> out;
  for (char* cell : cells) {
    out.emplace_back(cell != nullptr ? cell : "");
    H5free_memory(cell);
  }
  H5Tclose(type);
  H5Dclose(set);
  return out;
}

bool same_storage(const Storage& a, const Storage& b) {
  return a.layout == b.layout && a.chunk_rows == b.chunk_rows && a.deflate == b.deflate && a.shuffle == b.shuffle &&
         a.variable_string == b.variable_string && a.rows == b.rows;
}

}  // namespace

// The per-file tables are written by the ranks that hold their rows
// (spread_table.hpp). Property: a table written in parts, in any order,
// has the layout, types and values of the same table written whole,
// a variable-length text column included.
TEST_CASE("a table written by parts reads as the table written whole", "[results][compression]") {
  juggle::test::TempDir tmp;
  for (const std::size_t n : {std::size_t{0}, std::size_t{5}, std::size_t{3000}, std::size_t{150000}}) {
    INFO("rows: " << n);
    std::vector<std::string> path, error;
    std::vector<std::uint64_t> lines;
    std::vector<std::int32_t> rank;
    std::vector<double> seconds;
    std::vector<std::uint8_t> flag;
    for (std::size_t i = 0; i < n; ++i) {
      path.push_back("corpus/part-" + std::to_string(i % 97) + "/f" + std::to_string(i) + ".gz");
      error.push_back(i == n / 2 ? std::string(200000, 'e') : i % 7 == 0 ? "unexpected end of file" : "");
      lines.push_back(i * 7919 + (std::uint64_t{1} << 33));
      rank.push_back(static_cast<std::int32_t>(i % 3));
      seconds.push_back(0.001 * static_cast<double>(i));
      flag.push_back(static_cast<std::uint8_t>(i % 2));
    }
    const Table whole{"count/files", {{"path", Column(path)}, {"lines", Column(lines)}, {"rank", Column(rank)},
                                      {"seconds", Column(seconds)}, {"flag", Column(flag)}, {"error", Column(error)}}};
    // Two parts, as two ranks hold them: rows [0, cut) and [cut, n).
    const std::size_t cut = n / 3;
    const auto part = [&](std::size_t from, std::size_t to) {
      Table t{whole.group, {}};
      for (const auto& [name, column] : whole.columns)
        std::visit([&, &key = name](const auto& v) {
          t.columns.emplace_back(key, Column(std::decay_t<decltype(v)>(v.begin() + from, v.begin() + to)));
        }, column);
      return t;
    };
    const Table first = part(0, cut), second = part(cut, n);
    // The shape as the ranks agree on it (pipeline/spread_tables.cpp).
    SpreadTable shape{whole.group, n, {}};
    for (const auto& [name, column] : whole.columns) {
      SpreadColumn c{name, column.index(), 0, {}};
      if (const auto* text = std::get_if<kTextColumn>(&column)) {
        const TextSize size = text_size(*text);
        if (const auto width = fixed_width_of(n, size.width, size.text)) c.text_width = *width;
        else c.whole = *text;
      }
      shape.columns.push_back(std::move(c));
    }
    CHECK((shape.columns.back().text_width == 0) == (n >= 3000));  // one long error among many rows

    ResultsContent written_whole = content_with_steps({"count"});
    written_whole.tables.push_back(whole);
    const std::string whole_path = (tmp.path() / "whole.h5").string();
    write_results_file(whole_path, written_whole);
    ResultsContent spread = content_with_steps({"count"});
    spread.spread_tables.push_back(shape);
    spread.event_rows = 0;
    const std::string parts_path = (tmp.path() / "parts.h5").string();
    write_results_file(parts_path, spread);
    write_rank_rows(parts_path, {{}, 0, std::nullopt, {TablePart{&shape, &second, cut}}});
    write_rank_rows(parts_path, {{}, 0, std::nullopt, {TablePart{&shape, &first, 0}}});

    const hid_t a = H5Fopen(whole_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t b = H5Fopen(parts_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(a >= 0);
    REQUIRE(b >= 0);
    for (const auto& [name, column] : whole.columns) {
      const std::string at = "count/files/" + name;
      INFO(at);
      CHECK(same_storage(storage_of(a, at), storage_of(b, at)));
      const hid_t set_a = H5Dopen2(a, at.c_str(), H5P_DEFAULT), set_b = H5Dopen2(b, at.c_str(), H5P_DEFAULT);
      const hid_t type_a = H5Dget_type(set_a), type_b = H5Dget_type(set_b);
      CHECK(H5Tequal(type_a, type_b) > 0);
      for (const hid_t id : {type_a, type_b}) H5Tclose(id);
      for (const hid_t id : {set_a, set_b}) H5Dclose(id);
    }
    CHECK(read_strings(b, "count/files/path") == path);
    CHECK(read_strings(b, "count/files/error") == error);
    CHECK(read_numbers<std::uint64_t>(b, "count/files/lines", H5T_NATIVE_UINT64) == lines);
    CHECK(read_numbers<std::int32_t>(b, "count/files/rank", H5T_NATIVE_INT32) == rank);
    CHECK(read_numbers<double>(b, "count/files/seconds", H5T_NATIVE_DOUBLE) == seconds);
    CHECK(read_numbers<std::uint8_t>(b, "count/files/flag", H5T_NATIVE_UINT8) == flag);
    H5Fclose(a);
    H5Fclose(b);
  }
  // Rows that do not fit the shape are refused before anything is written.
  SpreadTable shape{"t", 2, {{"n", 3, 0, {}}}};
  const Table three{"t", {{"n", Column(std::vector<std::uint64_t>{1, 2, 3})}}};
  ResultsContent c = content_with_steps({"count"});
  c.spread_tables.push_back(shape);
  c.event_rows = 0;
  const std::string path = (tmp.path() / "short.h5").string();
  write_results_file(path, c);
  CHECK_THROWS(write_rank_rows(path, {{}, 0, std::nullopt, {TablePart{&shape, &three, 0}}}));
  const Table wide_text{"t", {{"n", Column(std::vector<std::string>{"abc"})}}};
  SpreadTable narrow{"t2", 1, {{"n", kTextColumn, 3, {}}}};
  c.spread_tables = {narrow};
  write_results_file(path, c);
  const Table in_t2{"t2", wide_text.columns};
  CHECK_THROWS(write_rank_rows(path, {{}, 0, std::nullopt, {TablePart{&narrow, &in_t2, 0}}}));
}
