#include "cli/progress_line.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "cli/units.hpp"
#include "parallel/launcher.hpp"

namespace juggle::cli {
namespace {

// A few updates a second: enough to see it move, few enough to cost nothing.
constexpr std::chrono::milliseconds kRedraw{250};

}  // namespace

bool progress_wanted(const Io& io, bool forced) {
  return io.verbosity != Verbosity::quiet &&
         (forced || (&io.err == &std::cerr &&
                     (::isatty(STDERR_FILENO) == 1 || parallel::launcher_writes_to_terminal())));
}

std::string progress_text(const std::string& stage, const pipeline::ProgressSnapshot& s, double seconds) {
  std::string text = stage + ": ";
  if (!s.listing && s.queued.weight > 0) {
    const double share = 100.0 * static_cast<double>(s.done.weight) / static_cast<double>(s.queued.weight);
    text += fixed(share > 100 ? 100 : share, 0) + "% of the work, ";
  }
  text += with_commas(s.done.pieces) + " of " + with_commas(s.queued.pieces) + (s.listing ? "+" : "") +
          (s.queued.pieces == 1 && !s.listing ? " piece" : " pieces") + " done, " + fixed(seconds, 1) + " s";
  return text;
}

ProgressLine::ProgressLine(const pipeline::StageProgress& progress, std::string stage, std::ostream& err)
    : progress_(progress), stage_(std::move(stage)), err_(err), thread_([this] { draw_until_stopped(); }) {}

ProgressLine::~ProgressLine() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void ProgressLine::draw_until_stopped() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, kRedraw, [this] { return stop_; })) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string text = progress_text(stage_, progress_.snapshot(), seconds);
    // Spaces over what a longer line before it left on screen.
    const std::size_t pad = drawn_ > text.size() ? drawn_ - text.size() : 0;
    err_ << '\r' << text << std::string(pad, ' ') << std::flush;
    drawn_ = text.size();
  }
  if (drawn_ > 0) err_ << '\r' << std::string(drawn_, ' ') << '\r' << std::flush;
}

}  // namespace juggle::cli
