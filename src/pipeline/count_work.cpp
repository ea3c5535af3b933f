#include "pipeline/count_work.hpp"

#include "pipeline/input_failure.hpp"

namespace juggle::pipeline {

CountWork::CountWork(const WorkContext& context)
    : context_(context), workers_(static_cast<std::size_t>(context.threads)) {}

void CountWork::start_worker(int thread) {
  workers_[static_cast<std::size_t>(thread)].workspace = std::make_unique<count::CountWorkspace>(context_.backend);
}

void CountWork::process(const Piece& piece, int thread) {
  const double t0 = context_.clock.now();
  const count::LineCount count = count::count_gzip_file(piece.path, workspace(thread), piece.begin, piece.end);
  const double t1 = context_.clock.now();
  context_.log.record(thread, results::Stage::count_file, t0, t1, count.bytes_out, count.lines);
  add(piece, thread, count, t0, t1);
}

void CountWork::add(const Piece& piece, int thread, const count::LineCount& count, double t0, double t1) {
  workers_[static_cast<std::size_t>(thread)].records.push_back(
      {piece.file, piece.begin, 1, count, context_.rank, thread, t1 - t0});
  // A range of a file is judged with the file (count_stage.hpp): a bad
  // range may only mean that the cut missed a member boundary.
  if (context_.strict && piece.whole_file && count.status != gzip::GzipStatus::ok)
    stop_job_for_input(piece.path, gzip::status_message(count.status, count.sys_errno));
}

std::vector<FileRecord> CountWork::take_records() { return take_records_of(workers_, &Worker::records); }

}  // namespace juggle::pipeline
