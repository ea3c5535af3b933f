#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "files/walk.hpp"
#include "temp_dir.hpp"

using juggle::files::walk_inputs;
namespace fs = std::filesystem;

namespace {
void touch(const fs::path& p, std::size_t bytes = 3) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << std::string(bytes, 'x');
}
std::vector<std::string> paths_of(const std::vector<juggle::files::InputFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.path);
  return out;
}
}  // namespace

TEST_CASE("directories are walked in sorted order with the include filter", "[files][walk]") {
  juggle::test::TempDir tmp;
  const fs::path d = tmp.path();
  touch(d / "b.gz", 10);
  touch(d / "a.gz");
  touch(d / "notes.txt");
  touch(d / "sub" / "c.gz");
  touch(d / "sub" / "deeper" / "d.gz");
  touch(d / "A.gz");
  const auto files = walk_inputs({d.string()}, {"*.gz"});
  CHECK(paths_of(files) == std::vector<std::string>{(d / "A.gz").string(), (d / "a.gz").string(),
                                                    (d / "b.gz").string(), (d / "sub/c.gz").string(),
                                                    (d / "sub/deeper/d.gz").string()});
  CHECK(files[2].size == 10);
  CHECK(walk_inputs({d.string()}, {}).size() == 6);
  CHECK(walk_inputs({d.string()}, {"*.txt", "c.*"}).size() == 2);
}

TEST_CASE("named files are always taken and problems stay in place", "[files][walk]") {
  juggle::test::TempDir tmp;
  const fs::path d = tmp.path();
  touch(d / "x.txt");
  const auto files = walk_inputs({(d / "x.txt").string(), (d / "missing.gz").string(), d.string()}, {"*.gz"});
  REQUIRE(files.size() == 2);
  CHECK(files[0].problem.empty());
  CHECK(files[1].path == (d / "missing.gz").string());
  CHECK(files[1].problem == "No such file or directory");
}

TEST_CASE("symlink loops and aliases are walked once", "[files][walk]") {
  juggle::test::TempDir tmp;
  const fs::path d = tmp.path();
  touch(d / "top" / "f.gz");
  fs::create_directory_symlink(d / "top", d / "top" / "loop");
  fs::create_directory_symlink(d / "top", d / "alias");
  fs::create_symlink(d / "nowhere", d / "top" / "dangling.gz");
  const auto files = walk_inputs({(d / "top").string()}, {"*.gz"});
  CHECK(paths_of(files) == std::vector<std::string>{(d / "top/f.gz").string()});
}

TEST_CASE("unreadable directories are reported and not fatal", "[files][walk]") {
  if (::geteuid() == 0) SUCCEED("root reads every directory; permission case not testable");
  else {
    juggle::test::TempDir tmp;
    const fs::path d = tmp.path();
    touch(d / "locked" / "f.gz");
    fs::permissions(d / "locked", fs::perms::none);
    const auto files = walk_inputs({d.string()}, {"*.gz"});
    fs::permissions(d / "locked", fs::perms::owner_all);
    REQUIRE(files.size() == 1);
    CHECK_FALSE(files[0].problem.empty());
  }
}
