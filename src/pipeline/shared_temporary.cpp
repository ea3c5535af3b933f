#include "pipeline/shared_temporary.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "parallel/collectives.hpp"
#include "parallel/shared_file.hpp"
#include "results/output_path.hpp"

namespace juggle::pipeline {

SharedTemporary::SharedTemporary(const std::string& final_path, int rank) : owner_(rank == 0) {
  std::vector<std::string> name;
  std::string why;
  if (owner_) {
    name.push_back(results::temporary_path_for(final_path));
    guard_.emplace(name.front());
    const int fd = ::open(name.front().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      why = "cannot create " + name.front() + ": " + std::strerror(errno);
    } else {
      ::close(fd);
    }
  }
  parallel::broadcast_strings(name, 0);
  path_ = name.at(0);
  // Every rank removes it if interrupted or stopping the job: the launcher
  // may kill rank 0 before its handler runs.
  if (!owner_) guard_.emplace(path_);
  why = parallel::agree_on_failure(why);
  problem_ = why.empty() ? parallel::check_every_rank_sees(path_) : why;
}

SharedTemporary::~SharedTemporary() {
  if (owner_) ::unlink(path_.c_str());
}

void SharedTemporary::published() noexcept {
  owner_ = false;
  guard_.reset();
}

}  // namespace juggle::pipeline
