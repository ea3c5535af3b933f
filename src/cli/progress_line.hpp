// The progress line of count and tokenize: rank 0 rewrites one line on
// stderr a few times a second (curl's meter, only on a terminal) with the
// share of the stage's work done over every rank (pipeline/stage_progress.hpp),
// and clears it before the summary is printed. Off when stderr is not a
// terminal (a pipe, a file, a test's string stream) and with -q; on under
// an mpirun that writes to a terminal (rank 0's stderr is then a pipe to it).
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "cli/io.hpp"
#include "pipeline/run_lifecycle.hpp"
#include "pipeline/stage_progress.hpp"

namespace juggle::cli {

// Whether a progress line is drawn on io.err: not quiet, and asked for
// (`forced`, --progress) or the process's own stderr is a terminal, or that
// of the mpirun that started it (parallel::launcher_writes_to_terminal).
[[nodiscard]] bool progress_wanted(const Io& io, bool forced);

// "count: 42% of the work, 1,234 of 2,345 pieces done, 3.4 s" (a '+' after
// the pieces while the walk is still finding them).
[[nodiscard]] std::string progress_text(const std::string& stage, const pipeline::ProgressSnapshot& s, double seconds);

// Draws the line from its own thread until destroyed, then clears it.
class ProgressLine {
 public:
  ProgressLine(const pipeline::StageProgress& progress, std::string stage, std::ostream& err);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void draw_until_stopped();

  const pipeline::StageProgress& progress_;
  std::string stage_;
  std::ostream& err_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::size_t drawn_ = 0;  // width of the line on screen
  std::thread thread_;
};

// Runs `body` (a stage, collective) with run.progress counting its pieces
// on every rank, and the line drawn on rank 0 when progress_wanted(io, forced).
template <class Body>
auto run_with_progress(pipeline::RunContext& run, const Io& io, bool forced, const std::string& stage, Body&& body) {
  pipeline::StageProgress progress(run.world.size);
  run.progress = &progress;
  struct Unset {
    pipeline::RunContext& run;
    ~Unset() { run.progress = nullptr; }
  } unset{run};
  std::optional<ProgressLine> line;
  if (run.world.rank == 0 && progress_wanted(io, forced)) line.emplace(progress, stage, io.err);
  return body();
}

}  // namespace juggle::cli
