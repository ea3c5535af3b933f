#include "cli/stage_command.hpp"

namespace juggle::cli {

void warn_about_binding(const pipeline::RunContext& run, Io io) {
  if (run.world.rank == 0 && io.verbosity != Verbosity::quiet) io.err << pipeline::binding_warning(run);
}

int finish_with_results(int status, const pipeline::OutputSettings& output, const pipeline::RunContext& run, Io io,
                        const std::function<results::ResultsContent()>& content, std::string* published) {
  if (!output.no_output) {
    const std::string path = pipeline::publish_results(content(), run, output, io.err);
    if (path.empty()) return kExitOutput;
    io.out << "results: " << path << '\n';
    if (published != nullptr) *published = path;
  }
  io.out.flush();
  return status;
}

}  // namespace juggle::cli
