// Fuzz target: the results-file reader behind `juggle report`
// (results/results_reader.hpp). Property: any bytes are either read as a
// run or refused with a ResultsError naming the file; no other exception,
// no crash. Seeds are small results files written by juggle itself, so the
// fuzzer starts from valid HDF5 and damages it.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_temp_file.hpp"
#include "results/results_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static juggle::fuzz::TempFile file(".h5");
  const std::string& path = file.write(data, size);
  try {
    const juggle::results::RunData run = juggle::results::read_results(path);
    if (run.steps.empty()) std::abort();  // the reader promises at least one step
  } catch (const juggle::results::ResultsError& e) {
    if (std::string(e.what()).rfind(path, 0) != 0) std::abort();  // the message starts with the file
  }
  return 0;
}
