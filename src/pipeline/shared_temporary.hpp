// The temporary file the ranks write an output into together, before rank 0
// gives it its final name.
//
// Output does not pass through rank 0: the ranks write their parts of a CSV
// or a results file at their own offsets (parallel/shared_file.hpp,
// results/rank_rows.hpp). Rank 0 picks the temporary's name (next to
// the final one, unique to its process) and creates it empty; every rank
// then checks that it sees it, so that a directory the ranks do not share
// is one agreed error instead of ranks waiting in an MPI-IO open forever.
// Until it is published, rank 0 removes the temporary when this object
// goes: after a failure or when an exception unwinds; and every rank
// removes it on SIGINT/SIGTERM or when it stops the job
// (files::RemoveOnInterrupt), so no partial file outlives the run.
#pragma once

#include <optional>
#include <string>

#include "files/interrupt.hpp"

namespace juggle::pipeline {

class SharedTemporary {
 public:
  // Collective: every rank, with the same final_path.
  SharedTemporary(const std::string& final_path, int rank);
  ~SharedTemporary();
  SharedTemporary(const SharedTemporary&) = delete;
  SharedTemporary& operator=(const SharedTemporary&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  // "" or why the ranks cannot write it together (the same on every rank).
  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }
  // Rank 0, once the file has its final name: nothing left to remove.
  void published() noexcept;

 private:
  std::string path_;
  std::string problem_;
  bool owner_ = false;  // rank 0 removes it
  std::optional<files::RemoveOnInterrupt> guard_;
};

}  // namespace juggle::pipeline
