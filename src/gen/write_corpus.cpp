#include "gen/write_corpus.hpp"

#include <fcntl.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "gen/gzip_writer.hpp"
#include "gen/text_writer.hpp"
#include "files/interrupt.hpp"
#include "gen/vocabulary.hpp"
#include "parallel/first_exception.hpp"

namespace juggle::gen {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kChunk = 1 << 20;

// A file written under a temporary name and renamed on commit(); removed if
// never committed.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path)
      : path_(std::move(path)), temp_(path_ + ".partial-" + std::to_string(::getpid())) {
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error(path_ + ": " + std::strerror(errno));
    guard_ = files::RemoveOnInterrupt(temp_);
  }
  ~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(temp_.c_str());
  }
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  void write(std::span<const char> data) {
    for (std::size_t done = 0; done < data.size();) {
      const ssize_t w = ::write(fd_, data.data() + done, data.size() - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) throw std::runtime_error(path_ + ": " + std::strerror(errno));
      done += static_cast<std::size_t>(w);
    }
  }

  void commit() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 || std::rename(temp_.c_str(), path_.c_str()) != 0)
      throw std::runtime_error(path_ + ": " + std::strerror(errno));
    committed_ = true;
    guard_.release();
  }

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
  files::RemoveOnInterrupt guard_;  // removes temp_ if juggle is interrupted
};

// Routes generated text to the outputs, starting a new gzip member at each
// planned byte offset.
class FileSink {
 public:
  FileSink(const CorpusSpec& spec, const FilePlan& plan, const std::string& dir) {
    const fs::path base = fs::path(dir) / plan.stem;
    if (spec.write_gz) {
      gz_file_.emplace(base.string() + ".gz");
      gz_.emplace(gz_file_->fd(), gz_file_->path(), spec.level);
    }
    if (spec.write_txt) txt_file_.emplace(base.string() + ".txt");
    for (std::uint32_t k = 1; k < plan.members; ++k) splits_.push_back(plan.text_bytes * k / plan.members);
  }

  void write(std::span<const char> data) {
    if (txt_file_) txt_file_->write(data);
    if (!gz_) return;
    while (!data.empty()) {
      std::size_t n = data.size();
      if (next_split_ < splits_.size()) n = std::min<std::uint64_t>(n, splits_[next_split_] - offset_);
      gz_->write(data.first(n));
      data = data.subspan(n);
      offset_ += n;
      if (next_split_ < splits_.size() && offset_ == splits_[next_split_]) {
        gz_->next_member();
        ++next_split_;
      }
    }
  }

  // Finishes and publishes the outputs; returns the gzip size.
  std::uint64_t commit() {
    std::uint64_t gz_bytes = 0;
    if (gz_) {
      gz_->finish();
      gz_bytes = gz_->bytes_written();
      gz_file_->commit();
    }
    if (txt_file_) txt_file_->commit();
    return gz_bytes;
  }

 private:
  std::optional<AtomicFile> gz_file_;
  std::optional<GzipWriter> gz_;
  std::optional<AtomicFile> txt_file_;
  std::vector<std::uint64_t> splits_;
  std::size_t next_split_ = 0;
  std::uint64_t offset_ = 0;
};

GeneratedFile write_one(const CorpusSpec& spec, const FilePlan& plan, const Vocabulary& vocabulary,
                        const std::string& dir) {
  GeneratedFile out;
  out.stem = plan.stem;
  out.members = plan.members;
  out.final_newline = plan.final_newline;
  FileSink sink(spec, plan, dir);
  TextWriter text(vocabulary, spec.seed, plan.index + 1);
  std::string chunk;
  chunk.reserve(kChunk + (1 << 17));
  // Whole lines until the target size is reached; a file that must end
  // without '\n' must also end in a non-blank line.
  const auto produced = [&] { return out.text_bytes + chunk.size(); };
  bool last_line_blank = false;
  while (produced() < plan.text_bytes || (produced() > 0 && !plan.final_newline && last_line_blank)) {
    const std::size_t before = chunk.size();
    text.append_line(chunk, plan.text_bytes > produced() ? plan.text_bytes - produced() : 0);
    last_line_blank = chunk.size() - before == 1;
    if (chunk.size() >= kChunk) {
      // Keep the last byte back: it may be the '\n' that gets dropped below.
      const std::span<const char> body(chunk.data(), chunk.size() - 1);
      out.lines += static_cast<std::uint64_t>(std::count(body.begin(), body.end(), '\n'));
      out.text_bytes += body.size();
      sink.write(body);
      chunk.erase(0, body.size());
    }
  }
  if (!plan.final_newline && !chunk.empty()) chunk.pop_back();  // drop the last '\n'
  out.lines += static_cast<std::uint64_t>(std::count(chunk.begin(), chunk.end(), '\n'));
  out.text_bytes += chunk.size();
  sink.write(chunk);
  out.gz_bytes = sink.commit();
  return out;
}

void write_manifest(const std::string& dir, const CorpusSummary& summary) {
  const std::string path = (fs::path(dir) / kManifestName).string();
  AtomicFile file(path);
  std::string text = "file\ttext_bytes\tlines\tmembers\tfinal_newline\tgz_bytes\n";
  for (const GeneratedFile& f : summary.files)
    text += f.stem + "\t" + std::to_string(f.text_bytes) + "\t" + std::to_string(f.lines) + "\t" +
            std::to_string(f.members) + "\t" + (f.final_newline ? "1" : "0") + "\t" + std::to_string(f.gz_bytes) +
            "\n";
  file.write(text);
  file.commit();
}

}  // namespace

CorpusSummary write_corpus(const CorpusSpec& spec, const std::string& dir, int threads) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir + ": " + ec.message());
  const std::vector<FilePlan> plans = plan_corpus(spec);
  const Vocabulary vocabulary(spec.seed);
  CorpusSummary summary;
  summary.files.resize(plans.size());
  parallel::FirstException error;
  const auto n = static_cast<long>(plans.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::max(threads, 1))
  for (long i = 0; i < n; ++i) {
    error.capture([&] {
      const auto k = static_cast<std::size_t>(i);
      summary.files[k] = write_one(spec, plans[k], vocabulary, dir);
    });
  }
  error.rethrow();
  for (const GeneratedFile& f : summary.files) {
    summary.text_bytes += f.text_bytes;
    summary.gz_bytes += f.gz_bytes;
    summary.lines += f.lines;
  }
  write_manifest(dir, summary);
  return summary;
}

}  // namespace juggle::gen
