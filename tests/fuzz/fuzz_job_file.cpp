// Fuzz target: job files for `juggle run` (cli/job_file.hpp and the section
// parsing of cli/run_command.hpp), read and checked as `juggle run` would,
// without running anything. Property: any bytes either give a job or a
// std::runtime_error with a message (the CLI prints it and exits 2); no
// other exception, no crash, no hang.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "cli/run_command.hpp"
#include "fuzz_temp_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static juggle::fuzz::TempFile file(".toml");
  juggle::cli::RunCliOptions options;
  options.job = file.write(data, size);
  try {
    juggle::cli::check_job(options);
  } catch (const std::runtime_error& e) {
    if (e.what()[0] == '\0') std::abort();  // a refusal must say why
  }
  return 0;
}
