#include "cli/stage_command.hpp"

namespace juggle::cli {

void warn_about_binding(const pipeline::RunContext& run, Io io) {
  if (run.world.rank == 0 && io.verbosity != Verbosity::quiet) io.err << pipeline::binding_warning(run);
}

int finish_with_results(int status, const pipeline::OutputSettings& output, const pipeline::RunContext& run, Io io,
                        const std::function<results::ResultsContent()>& content,
                        const pipeline::RankVocabulary* vocabulary, std::string* published) {
  const bool root = run.world.rank == 0;
  if (!output.no_output) {
    const std::string path = pipeline::publish_results(root ? content() : results::ResultsContent{}, vocabulary,
                                                       run, output, io.err);
    if (path.empty()) return kExitOutput;
    if (root) io.out << "results: " << path << '\n';
    if (published != nullptr) *published = path;
  }
  if (root) io.out.flush();
  return status;
}

}  // namespace juggle::cli
