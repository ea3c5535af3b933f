#include "cli/stage_command.hpp"

namespace juggle::cli {

void warn_about_binding(const pipeline::RunContext& run, Io io) {
  if (run.world.rank == 0 && io.verbosity != Verbosity::quiet) io.err << pipeline::binding_warning(run);
}

int finish_with_results(int status, const pipeline::OutputSettings& output, const pipeline::RunContext& run, Io io,
                        const std::vector<std::string>& command_line,
                        const std::vector<pipeline::StageReport>& stages, std::string* published) {
  const bool root = run.world.rank == 0;
  if (!output.no_output) {
    const pipeline::RankVocabulary* vocabulary = nullptr;
    for (const pipeline::StageReport& s : stages)
      if (s.vocabulary) vocabulary = &*s.vocabulary;
    const std::string path = pipeline::publish_results(
        root ? pipeline::combine_results(run, command_line, stages) : results::ResultsContent{}, vocabulary,
        pipeline::file_rows_of(stages), run, output, io.err);
    if (path.empty()) return kExitOutput;
    if (root) io.out << "results: " << path << '\n';
    if (published != nullptr) *published = path;
  }
  if (root) io.out.flush();
  return status;
}

}  // namespace juggle::cli
