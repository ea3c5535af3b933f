#include "cli/stage_command.hpp"

namespace juggle::cli {

int finish_with_results(int status, const pipeline::OutputSettings& output, const pipeline::RunContext& run, Io io,
                        const std::function<results::ResultsContent()>& content) {
  if (!output.no_output) {
    const std::string published = pipeline::publish_results(content(), run, output, io.err);
    if (published.empty()) return kExitOutput;
    io.out << "results: " << published << '\n';
  }
  io.out.flush();
  return status;
}

}  // namespace juggle::cli
