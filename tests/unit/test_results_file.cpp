#include <catch2/catch.hpp>

#include <hdf5.h>

#include <filesystem>
#include <fstream>

#include "results/output_path.hpp"
#include "results/results_file.hpp"
#include "results/run_metadata.hpp"
#include "results/stages.hpp"
#include "temp_dir.hpp"

using namespace juggle::results;
namespace fs = std::filesystem;

namespace {

std::string read_string_attribute(hid_t object, const char* name) {
  const hid_t attr = H5Aopen(object, name, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  const hid_t type = H5Aget_type(attr);
  char* value = nullptr;
  REQUIRE(H5Aread(attr, type, &value) >= 0);
  std::string out = value ? value : "";
  H5free_memory(value);
  H5Tclose(type);
  H5Aclose(attr);
  return out;
}

hsize_t rows(hid_t file, const char* path) {
  const hid_t set = H5Dopen2(file, path, H5P_DEFAULT);
  REQUIRE(set >= 0);
  const hid_t space = H5Dget_space(set);
  hsize_t dims[1] = {0};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  H5Sclose(space);
  H5Dclose(set);
  return dims[0];
}

}  // namespace

TEST_CASE("a results file holds the schema v1 layout", "[results][hdf5]") {
  juggle::test::TempDir tmp;
  const std::string path = (tmp.path() / "r.h5").string();
  ResultsContent c;
  RunFacts facts;
  facts.subcommand = "count";
  facts.command_line = {"juggle", "count", "my file.gz"};
  facts.mpi_ranks = 3;
  c.root = run_attributes(facts);
  c.steps = {"count"};
  c.events = {{0, 0, static_cast<std::int32_t>(Stage::walk), 0, 0.0, 0.5, 10, 2},
              {1, 1, static_cast<std::int32_t>(Stage::count_file), 0, 0.5, 0.75, 20, 4}};
  c.ranks = {{0, "h0", 1.0}, {1, "h1", 2.0}};
  c.tables.push_back({"count/files", {{"path", Column(std::vector<std::string>{"a", "b", "ü"})},
                                      {"lines", Column(std::vector<std::uint64_t>{1, 2, 3})}}});
  c.attribute_groups.push_back({"count/total", {{"lines", std::uint64_t{6}}, {"mb_per_s", 1.5}}});
  write_results_file(path, c);

  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  CHECK(read_string_attribute(file, "schema") == "juggle-results");
  CHECK(read_string_attribute(file, "command_line") == "juggle count 'my file.gz'");
  CHECK(rows(file, "stages") == stage_names().size());
  CHECK(rows(file, "events/t_start") == 2);
  CHECK(rows(file, "events/step") == 2);
  CHECK(rows(file, "steps") == 1);
  CHECK(rows(file, "ranks/hostname") == 2);
  CHECK(rows(file, "count/files/path") == 3);
  const hid_t total = H5Gopen2(file, "count/total", H5P_DEFAULT);
  REQUIRE(total >= 0);
  std::uint64_t lines = 0;
  const hid_t attr = H5Aopen(total, "lines", H5P_DEFAULT);
  REQUIRE(H5Aread(attr, H5T_NATIVE_UINT64, &lines) >= 0);
  CHECK(lines == 6);
  H5Aclose(attr);
  H5Gclose(total);
  H5Fclose(file);
}

TEST_CASE("publishing never replaces a file unless forced", "[results][output]") {
  juggle::test::TempDir tmp;
  const std::string final_path = (tmp.path() / "out.h5").string();
  auto make_temp = [&](const char* content) {
    const std::string t = temporary_path_for(final_path);
    std::ofstream(t) << content;
    return t;
  };
  CHECK(check_output_target(final_path, false).empty());
  CHECK(publish(make_temp("one"), final_path, false, false) == final_path);
  CHECK_FALSE(check_output_target(final_path, false).empty());
  CHECK(check_output_target(final_path, true).empty());
  const std::string t2 = make_temp("two");
  CHECK_THROWS(publish(t2, final_path, false, false));
  CHECK(fs::exists(t2));  // the caller still owns the temporary
  CHECK(publish(t2, final_path, false, true) == (tmp.path() / "out-2.h5").string());
  CHECK(publish(make_temp("three"), final_path, true, false) == final_path);
  std::ifstream in(final_path);
  std::string text;
  in >> text;
  CHECK(text == "three");
  CHECK(default_output_path("count", 0) == "results/count-19700101T000000Z.h5");
  CHECK(check_output_target((tmp.path() / "new/dir/x.h5").string(), false).empty());
  CHECK(fs::is_directory(tmp.path() / "new/dir"));
}
