// Presenting downloads on rank 0 as they happen: a status line per URL
// (stdout; a failure is one line on stderr), a progress line redrawn on
// stderr when it is a terminal (and only then), and the stage's summary.
#pragma once

#include <cstdint>
#include <string>

#include "cli/io.hpp"
#include "pipeline/fetch_stage.hpp"

namespace juggle::cli {

class FetchPrinter : public pipeline::FetchObserver {
 public:
  // `mode` and `concurrency` are named in the summary line.
  FetchPrinter(Io io, std::string mode, int concurrency);
  ~FetchPrinter() override;
  void started(std::size_t urls) override;
  void transfer_done(const fetch::TransferRecord& record) override;
  void finished(const pipeline::FetchedFiles& done) override;

 private:
  void clear_progress();
  Io io_;
  bool tty_;
  bool drawn_ = false;  // a progress line is on the terminal
  std::string mode_;
  int concurrency_;
  std::size_t total_ = 0, done_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace juggle::cli
