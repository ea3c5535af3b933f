// Fuzz target: the results-file reader behind `juggle report`
// (results/results_reader.hpp). Property: any bytes are either read as a
// run or refused with a ResultsError naming the file; no other exception,
// no crash. Seeds are small results files written by juggle itself, so the
// fuzzer starts from valid HDF5 and damages it. What is read also crosses
// the wire from the child process report reads in (report/run_data_wire.hpp)
// unchanged, and the input's raw bytes, decoded as such a message, are
// refused or decoded without a fault.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_temp_file.hpp"
#include "results/results_reader.hpp"
#include "report/run_data_wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)juggle::report::decode_run_data(std::string_view(reinterpret_cast<const char*>(data), size));
  static juggle::fuzz::TempFile file(".h5");
  const std::string& path = file.write(data, size);
  try {
    const juggle::results::RunData run = juggle::results::read_results(path);
    if (run.steps.empty()) std::abort();  // the reader promises at least one step
    const auto back = juggle::report::decode_run_data(juggle::report::encode_run_data(run));
    if (!back || back->attributes != run.attributes || back->stages != run.stages || back->steps != run.steps ||
        back->events.size() != run.events.size() || back->bench.rows != run.bench.rows ||
        back->bench_targets.rows != run.bench_targets.rows ||
        (!run.events.empty() &&
         std::memcmp(back->events.data(), run.events.data(), run.events.size() * sizeof run.events[0]) != 0))
      std::abort();
  } catch (const juggle::results::ResultsError& e) {
    if (std::string(e.what()).rfind(path, 0) != 0) std::abort();  // the message starts with the file
  }
  return 0;
}
