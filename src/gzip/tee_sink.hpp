// One decoded stream fed to two consumers in the same pass (a file counted
// and tokenized while it is decompressed once).
#pragma once

#include "gzip/gzip_decoder.hpp"

namespace juggle::gzip {

class TeeSink final : public OutputSink {
 public:
  TeeSink(OutputSink& first, OutputSink& second) noexcept : first_(first), second_(second) {}
  // `first` sees each chunk before `second`.
  void consume(std::span<const std::uint8_t> bytes) override {
    first_.consume(bytes);
    second_.consume(bytes);
  }

 private:
  OutputSink& first_;
  OutputSink& second_;
};

}  // namespace juggle::gzip
