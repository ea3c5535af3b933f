#include "files/walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <utility>

#include "files/name_list.hpp"

namespace juggle::files {
namespace {

bool matches(const std::string& name, const std::vector<std::string>& include) {
  if (include.empty()) return true;
  return std::any_of(include.begin(), include.end(),
                     [&](const std::string& pattern) { return fnmatch(pattern.c_str(), name.c_str(), 0) == 0; });
}

std::string join(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

class Walker {
 public:
  Walker(const std::vector<std::string>& include, const std::function<void(InputFile)>& found)
      : include_(include), found_(found) {}

  void root(const std::string& path) {
    if (path == kStandardInputName) {
      found_({path, 0, {}, true});
      return;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      problem(path, std::strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
      directory(path, st);
    } else if (S_ISREG(st.st_mode)) {
      found_({path, static_cast<std::uint64_t>(st.st_size), {}});
    } else {
      problem(path, "not a regular file or directory");
    }
  }

 private:
  void directory(const std::string& path, const struct stat& st) {
    if (!visited_.insert({st.st_dev, st.st_ino}).second) return;  // already walked: a link loop or alias
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
    if (!dir) {
      problem(path, std::strerror(errno));
      return;
    }
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(dir.get())) {
      const std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      // A regular file the patterns leave out needs no stat (a link or an
      // entry of unknown type might be a directory: those are looked at).
      if (entry->d_type == DT_REG && !matches(name, include_)) continue;
      names.push_back(name);
    }
    if (errno != 0) problem(path, std::strerror(errno));
    std::sort(names.begin(), names.end());
    // Relative to the open directory: the kernel resolves one name, not the
    // whole path again for every entry (thousands of small files).
    const int dfd = ::dirfd(dir.get());
    for (const std::string& name : names) {
      const std::string child = join(path, name);
      struct stat cst {};
      if (::fstatat(dfd, name.c_str(), &cst, 0) != 0) {
        // A dangling link is no input of ours; anything else is worth a word.
        if (errno != ENOENT) problem(child, std::strerror(errno));
        continue;
      }
      if (S_ISDIR(cst.st_mode)) {
        directory(child, cst);
      } else if (S_ISREG(cst.st_mode) && matches(name, include_)) {
        found_({child, static_cast<std::uint64_t>(cst.st_size), {}});
      }
    }
  }

  void problem(const std::string& path, std::string reason) { found_({path, 0, std::move(reason)}); }

  const std::vector<std::string>& include_;
  const std::function<void(InputFile)>& found_;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

}  // namespace

void walk_inputs(const std::vector<std::string>& roots, const std::vector<std::string>& include,
                 const std::function<void(InputFile)>& found) {
  Walker walker(include, found);
  for (const std::string& path : roots) walker.root(path);
}

std::vector<InputFile> walk_inputs(const std::vector<std::string>& roots, const std::vector<std::string>& include) {
  std::vector<InputFile> result;
  walk_inputs(roots, include, [&](InputFile f) { result.push_back(std::move(f)); });
  return result;
}

}  // namespace juggle::files
