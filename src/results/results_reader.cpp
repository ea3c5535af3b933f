#include "results/results_reader.hpp"

#include <hdf5.h>

#include <charconv>
#include <sstream>

#include "results/fixed_width_text.hpp"
#include "results/h5_handles.hpp"
#include "results/results_file.hpp"

namespace juggle::results {
namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& reason) {
  throw ResultsError(path + ": " + reason);
}

std::string attribute_text(hid_t attr) {
  const h5::Handle type(H5Aget_type(attr), H5Tclose, "attribute type");
  const h5::Handle space(H5Aget_space(attr), H5Sclose, "attribute space");
  if (H5Sget_simple_extent_npoints(space.id()) != 1) return "";
  switch (H5Tget_class(type.id())) {
    case H5T_STRING: {
      if (H5Tis_variable_str(type.id()) > 0) {
        char* value = nullptr;
        const h5::Handle mem(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
        H5Tset_size(mem.id(), H5T_VARIABLE);
        H5Tset_cset(mem.id(), H5Tget_cset(type.id()));
        if (H5Aread(attr, mem.id(), &value) < 0) return "";
        std::string out = value ? value : "";
        H5free_memory(value);
        return out;
      }
      std::string out(H5Tget_size(type.id()), '\0');
      if (H5Aread(attr, type.id(), out.data()) < 0) return "";
      return out.substr(0, out.find('\0'));
    }
    case H5T_INTEGER: {
      std::int64_t v = 0;
      if (H5Tget_sign(type.id()) == H5T_SGN_NONE) {
        std::uint64_t u = 0;
        if (H5Aread(attr, H5T_NATIVE_UINT64, &u) < 0) return "";
        return std::to_string(u);
      }
      if (H5Aread(attr, H5T_NATIVE_INT64, &v) < 0) return "";
      return std::to_string(v);
    }
    case H5T_FLOAT: {
      double d = 0;
      if (H5Aread(attr, H5T_NATIVE_DOUBLE, &d) < 0) return "";
      std::ostringstream out;
      out.precision(17);
      out << d;
      return out.str();
    }
    default: return "";
  }
}

herr_t collect_attribute(hid_t object, const char* name, const H5A_info_t*, void* data) {
  auto& attributes = *static_cast<std::map<std::string, std::string>*>(data);
  const hid_t attr = H5Aopen(object, name, H5P_DEFAULT);
  if (attr < 0) return 0;
  try {
    attributes[name] = attribute_text(attr);
  } catch (...) {
  }
  H5Aclose(attr);
  return 0;
}

// A damaged header can claim any number of elements (the fuzzer found a
// column that claimed 10^17: the allocation, not the file, was the
// failure). A column's elements are stored in at most the file's bytes,
// compressed by deflate at most 1032:1 (its longest match, 258 bytes, costs
// at least 2 bits), so a column claiming more than that is damaged.
constexpr hsize_t kDeflateMaxRatio = 1032;

void check_extent(hid_t file, hid_t set, const std::string& path, const std::string& where, hssize_t n,
                  std::size_t element_bytes) {
  hsize_t file_bytes = 0;
  if (H5Fget_filesize(file, &file_bytes) < 0) file_bytes = 0;
  const h5::Handle props(H5Dget_create_plist(set), H5Pclose, path);
  const hsize_t ratio = H5Pget_nfilters(props.id()) > 0 ? kDeflateMaxRatio : 1;
  if (n < 0 || static_cast<hsize_t>(n) > file_bytes / static_cast<hsize_t>(element_bytes) * ratio)
    refuse(where, "damaged: dataset " + path + " claims " + std::to_string(n) + " elements in a file of " +
                      std::to_string(file_bytes) + " bytes");
}

template <class T>
std::vector<T> read_column(hid_t file, const std::string& path, hid_t memory_type, const std::string& where) {
  const hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (set < 0) refuse(where, "missing dataset " + path);
  const h5::Handle dataset(set, H5Dclose, path);
  const h5::Handle space(H5Dget_space(set), H5Sclose, path);
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0) refuse(where, "unreadable dataset " + path);
  check_extent(file, set, path, where, n, sizeof(T));
  std::vector<T> values(static_cast<std::size_t>(n));
  if (n > 0 && H5Dread(set, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    refuse(where, "unreadable dataset " + path);
  return values;
}

// Fixed-width cells (juggle since schema 4) or variable-length strings.
std::vector<std::string> read_strings(hid_t file, const std::string& path, const std::string& where) {
  const hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (set < 0) refuse(where, "missing dataset " + path);
  const h5::Handle dataset(set, H5Dclose, path);
  const h5::Handle space(H5Dget_space(set), H5Sclose, path);
  const h5::Handle type(H5Dget_type(set), H5Tclose, path);
  if (H5Tget_class(type.id()) != H5T_STRING) refuse(where, path + " is not text");
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  const bool variable = H5Tis_variable_str(type.id()) > 0;
  const std::size_t width = variable ? 1 : H5Tget_size(type.id());
  if (width == 0) refuse(where, "unreadable dataset " + path);
  check_extent(file, set, path, where, n, width);
  const auto rows = static_cast<std::size_t>(n > 0 ? n : 0);
  if (!variable) {
    std::vector<char> cells(rows * width);
    const h5::Handle mem(H5Tcopy(type.id()), H5Tclose, "string type");
    if (rows > 0 && H5Dread(set, mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, cells.data()) < 0)
      refuse(where, "unreadable dataset " + path);
    return unpad_cells(cells.data(), rows, width);
  }
  std::vector<char*> raw(rows, nullptr);
  const h5::Handle mem(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  H5Tset_size(mem.id(), H5T_VARIABLE);
  H5Tset_cset(mem.id(), H5T_CSET_UTF8);
  if (rows > 0 && H5Dread(set, mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
    refuse(where, "unreadable dataset " + path);
  std::vector<std::string> out;
  for (char* s : raw) {
    out.emplace_back(s ? s : "");
    H5free_memory(s);
  }
  return out;
}

// A documented table group read as text cells, columns in the given order;
// floating-point columns with the digits given (a NaN is an empty cell).
struct ColumnSpec {
  const char* name;
  int digits;  // for floating-point columns
};

TextTable read_text_table(hid_t file, const std::string& group, std::initializer_list<ColumnSpec> columns,
                          const std::string& where) {
  TextTable t;
  std::size_t rows = 0;
  std::vector<std::vector<std::string>> cells;
  for (const ColumnSpec& c : columns) {
    const std::string path = group + "/" + c.name;
    const hid_t set = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
    if (set < 0) refuse(where, "missing dataset " + path);
    const h5::Handle dataset(set, H5Dclose, path);
    const h5::Handle type(H5Dget_type(set), H5Tclose, path);
    const H5T_class_t kind = H5Tget_class(type.id());
    std::vector<std::string> column;
    if (kind == H5T_STRING) {
      column = read_strings(file, path, where);
    } else if (kind == H5T_FLOAT) {
      for (const double v : read_column<double>(file, path, H5T_NATIVE_DOUBLE, where))
        column.push_back(fixed_number(v, c.digits));
    } else if (kind == H5T_INTEGER) {
      for (const std::int64_t v : read_column<std::int64_t>(file, path, H5T_NATIVE_INT64, where))
        column.push_back(std::to_string(v));
    } else {
      refuse(where, path + " is neither text nor numbers");
    }
    if (!cells.empty() && column.size() != rows) refuse(where, group + " columns differ in length");
    rows = column.size();
    t.heads.emplace_back(c.name);
    t.text.push_back(kind == H5T_STRING);
    cells.push_back(std::move(column));
  }
  t.rows.assign(rows, std::vector<std::string>(cells.size()));
  for (std::size_t c = 0; c < cells.size(); ++c)
    for (std::size_t r = 0; r < rows; ++r) t.rows[r][c] = std::move(cells[c][r]);
  return t;
}

}  // namespace

std::optional<std::int64_t> RunData::integer_attribute(const std::string& name) const {
  const std::string text = attribute(name);
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

RunData read_results(const std::string& path) {
  h5::silence_hdf5_errors();
  if (H5Fis_hdf5(path.c_str()) <= 0) refuse(path, "not an HDF5 file (or unreadable, or truncated)");
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) refuse(path, "cannot open as HDF5 (damaged or truncated?)");
  const h5::Handle file(id, H5Fclose, path);
  RunData run;
  run.path = path;
  hsize_t index = 0;
  H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute, &run.attributes);
  if (run.attribute("schema") != kSchemaName) refuse(path, "not a juggle results file (no schema=juggle-results)");
  const std::string version = run.attribute("schema_version");
  if (version.empty()) refuse(path, "no schema_version");
  if (std::stoll(version) > kSchemaVersion)
    refuse(path, "schema version " + version + " is newer than this juggle reads (" + std::to_string(kSchemaVersion) +
                     "); use a newer juggle");
  run.stages = read_strings(id, "stages", path);
  const auto rank = read_column<std::int32_t>(id, "events/rank", H5T_NATIVE_INT32, path);
  const auto thread = read_column<std::int32_t>(id, "events/thread", H5T_NATIVE_INT32, path);
  const auto stage = read_column<std::int32_t>(id, "events/stage", H5T_NATIVE_INT32, path);
  const auto t_start = read_column<double>(id, "events/t_start", H5T_NATIVE_DOUBLE, path);
  const auto t_end = read_column<double>(id, "events/t_end", H5T_NATIVE_DOUBLE, path);
  const auto bytes = read_column<std::uint64_t>(id, "events/bytes", H5T_NATIVE_UINT64, path);
  const auto items = read_column<std::uint64_t>(id, "events/items", H5T_NATIVE_UINT64, path);
  const std::size_t n = rank.size();
  // Files written before /steps existed hold one step, the subcommand.
  const bool has_steps = H5Lexists(id, "steps", H5P_DEFAULT) > 0;
  run.steps = has_steps ? read_strings(id, "steps", path) : std::vector<std::string>{run.attribute("subcommand")};
  const auto step = has_steps ? read_column<std::int32_t>(id, "events/step", H5T_NATIVE_INT32, path)
                              : std::vector<std::int32_t>(n, 0);
  if (run.steps.empty()) refuse(path, "/steps is empty");
  if (thread.size() != n || stage.size() != n || step.size() != n || t_start.size() != n || t_end.size() != n ||
      bytes.size() != n || items.size() != n)
    refuse(path, "/events columns differ in length");
  for (std::size_t i = 0; i < n; ++i) {
    if (stage[i] < 0 || static_cast<std::size_t>(stage[i]) >= run.stages.size())
      refuse(path, "/events/stage holds an id outside /stages");
    if (step[i] < 0 || static_cast<std::size_t>(step[i]) >= run.steps.size())
      refuse(path, "/events/step holds an index outside /steps");
    run.events.push_back({rank[i], thread[i], stage[i], step[i], t_start[i], t_end[i], bytes[i], items[i]});
  }
  if (H5Lexists(id, "bench", H5P_DEFAULT) > 0) {
    run.bench = read_text_table(id, "bench",
                                {{"case", 0}, {"contender", 0}, {"config", 0}, {"runs", 0}, {"median_s", 4},
                                 {"min_s", 4}, {"max_s", 4}, {"mb_per_s", 1}, {"ratio_to_reference", 2},
                                 {"peak_rss_kb", 0}, {"reference", 0}, {"note", 0}},
                                path);
    if (H5Lexists(id, "bench_targets", H5P_DEFAULT) > 0)
      run.bench_targets = read_text_table(id, "bench_targets", {{"target", 0}, {"met", 0}}, path);
  }
  return run;
}

}  // namespace juggle::results
