#include "gen/corpus_plan.hpp"

#include <cmath>
#include <cstdio>

#include "gen/rng.hpp"

namespace juggle::gen {

std::vector<FilePlan> plan_corpus(const CorpusSpec& spec) {
  Rng rng(spec.seed, 0x706c616eull);  // "plan" stream
  std::vector<double> weights(spec.files);
  double sum = 0;
  for (double& w : weights) {
    w = std::exp(0.8 * rng.normal());
    sum += w;
  }
  constexpr std::size_t kEmptyFile = 5;
  if (spec.files > kEmptyFile) {
    sum -= weights[kEmptyFile];
    weights[kEmptyFile] = 0;
  }
  std::vector<FilePlan> plans(spec.files);
  for (std::size_t i = 0; i < spec.files; ++i) {
    FilePlan& p = plans[i];
    p.index = i;
    char stem[32];
    std::snprintf(stem, sizeof stem, "part-%05zu", i);
    p.stem = stem;
    p.text_bytes = sum > 0 ? static_cast<std::uint64_t>(static_cast<double>(spec.total_bytes) * weights[i] / sum) : 0;
    p.members = rng.below(4) == 0 ? static_cast<std::uint32_t>(rng.between(2, 4)) : 1;
    p.final_newline = rng.below(8) != 0;
  }
  return plans;
}

}  // namespace juggle::gen
