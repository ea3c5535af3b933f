#include "cli/fetch_report.hpp"

#include <iostream>

#include "cli/progress_line.hpp"
#include "cli/units.hpp"

namespace juggle::cli {
namespace {

using fetch::TransferOutcome;
using fetch::TransferRecord;

void print_status(const TransferRecord& r, Io io) {
  switch (r.outcome) {
    case TransferOutcome::fetched:
      io.out << "fetched " << r.url << " -> " << r.path << " (" << r.bytes << " bytes, HTTP " << r.http_status << ", "
             << fixed(r.t_end - r.t_start, 3) << " s, " << r.attempts
             << (r.attempts == 1 ? " attempt)\n" : " attempts)\n");
      break;
    case TransferOutcome::skipped:
      io.out << "skipped " << r.url << " -> " << r.path << " (already complete)\n";
      break;
    case TransferOutcome::failed:
      io.err << "juggle: " << r.url << ": " << r.error << '\n';
      break;
  }
  io.out.flush();
}

}  // namespace

FetchPrinter::FetchPrinter(Io io, std::string mode, int concurrency)
    : io_(io), tty_(progress_wanted(io, false)), mode_(std::move(mode)), concurrency_(concurrency) {}

FetchPrinter::~FetchPrinter() { clear_progress(); }

void FetchPrinter::clear_progress() {
  if (drawn_) io_.err << "\r\033[K" << std::flush;
  drawn_ = false;
}

void FetchPrinter::started(std::size_t urls) { total_ = urls; }

void FetchPrinter::transfer_done(const TransferRecord& r) {
  clear_progress();
  print_status(r, io_);
  ++done_;
  if (r.outcome == TransferOutcome::fetched) bytes_ += r.bytes;
  if (tty_) {
    io_.err << "fetch: " << done_ << "/" << total_ << " URLs, " << binary_size(bytes_) << std::flush;
    drawn_ = true;
  }
}

void FetchPrinter::finished(const pipeline::FetchedFiles& done) {
  clear_progress();
  const pipeline::FetchTotals& t = done.totals;
  io_.out << "fetch: " << t.urls << " URLs, " << t.fetched << " fetched, " << t.skipped << " already complete, "
          << t.failed << " failed; " << binary_size(t.bytes) << " in " << fixed(done.finished - done.started, 3)
          << " s (mode " << mode_ << ", concurrency " << concurrency_ << ")\n";
  if (done.stale_partials_removed > 0)
    io_.out << "fetch: removed " << done.stale_partials_removed << " partial files of earlier, killed runs\n";
}

}  // namespace juggle::cli
