// `juggle gen`: a deterministic synthetic corpus, so juggle never needs
// downloaded data to demonstrate, test or benchmark itself.
#pragma once

#include <cstdint>
#include <string>

#include "cli/io.hpp"

namespace CLI {
class App;
}

namespace juggle::cli {

struct GenOptions {
  std::string out = "inputs/generated";
  std::size_t files = 64;
  std::string size = "64MiB";  // total uncompressed text
  std::uint64_t seed = 1;
  int level = 6;
  std::string format = "gz";  // gz, txt or both
  int threads = 0;            // 0: OMP default
};

CLI::App* setup_gen(CLI::App& app, GenOptions& options);
int run_gen(const GenOptions& options, Io io = {});

}  // namespace juggle::cli
