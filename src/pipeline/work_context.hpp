// What every stage's work needs to know about where it runs, and the one
// way per-thread records are collected when the engine is done.
#pragma once

#include <vector>

#include "gzip/inflater.hpp"
#include "results/timeline.hpp"

namespace juggle::pipeline {

struct WorkContext {
  gzip::InflateBackend backend = gzip::InflateBackend::zlib;
  bool strict = false;  // an input that fails throws (input_failure.hpp), stopping the job
  int rank = 0;
  int threads = 1;      // worker threads (engine.hpp)
  const results::Clock& clock;
  results::EventLog& log;
};

// Moves every worker's `records` into one vector (thread by thread).
template <class Worker, class Record>
[[nodiscard]] std::vector<Record> take_records_of(std::vector<Worker>& workers, std::vector<Record> Worker::*records) {
  std::vector<Record> all;
  for (Worker& w : workers) {
    std::vector<Record>& mine = w.*records;
    all.insert(all.end(), mine.begin(), mine.end());
    mine = {};
  }
  return all;
}

}  // namespace juggle::pipeline
