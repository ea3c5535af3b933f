// What `juggle gen` will write, decided up front from the seed alone.
//
// Sizes vary (log-normal weights scaled to the requested total), so load
// balancing has real work to do; a quarter of the gzip files are split into
// 2-4 members at arbitrary byte offsets (lines cross member boundaries);
// one file in eight has no final newline; with 6+ files one is empty.
// Planning is pure and cheap, so any thread can write any file and the bytes
// are the same for every thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace juggle::gen {

struct CorpusSpec {
  std::size_t files = 64;
  std::uint64_t total_bytes = 64ull << 20;  // uncompressed text, all files together
  std::uint64_t seed = 1;
  int level = 6;                            // gzip level 1-9
  bool write_gz = true;
  bool write_txt = false;
};

struct FilePlan {
  std::size_t index = 0;
  std::string stem;              // "part-00007"
  std::uint64_t text_bytes = 0;  // target size; the file ends at the first line end past it
  std::uint32_t members = 1;     // gzip members
  bool final_newline = true;
};

[[nodiscard]] std::vector<FilePlan> plan_corpus(const CorpusSpec& spec);

}  // namespace juggle::gen
