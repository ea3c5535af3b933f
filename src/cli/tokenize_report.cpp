#include "cli/tokenize_report.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "cli/units.hpp"
#include "files/interrupt.hpp"
#include "results/output_path.hpp"

namespace juggle::cli {
namespace {

constexpr const char* kTrailingWarning = "decompression OK, trailing garbage ignored";

std::string hex64(std::uint64_t v) {
  char text[24];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
  return text;
}

template <class T, class F>
std::vector<T> column(const TokenizeOutcome& o, F get) {
  return results::column_of<T>(o.files, get);
}

}  // namespace

void aggregate_files(const std::vector<files::InputFile>& inputs, const std::vector<PieceRecord>& records,
                     TokenizeOutcome& out) {
  out.files.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    out.files[i].path = inputs[i].path;
    if (!inputs[i].problem.empty()) {
      out.files[i].status = std::string(gzip::status_name(gzip::GzipStatus::read_error));
      out.files[i].error = inputs[i].problem;
    }
  }
  std::vector<const PieceRecord*> by_piece;
  for (const PieceRecord& r : records) by_piece.push_back(&r);
  std::sort(by_piece.begin(), by_piece.end(), [](const PieceRecord* a, const PieceRecord* b) {
    return a->file != b->file ? a->file < b->file : a->begin < b->begin;
  });
  for (const PieceRecord* r : by_piece) {  // input order, a file's first piece first
    TokenizeFile& f = out.files.at(r->file);
    if (f.pieces++ == 0) {
      f.rank = r->rank;
      f.thread = r->thread;
    }
    f.gzip = r->gzip != 0;
    f.seconds += r->seconds;
    f.bytes_in += r->decode.bytes_in;
    if (r->decode.trailing_garbage) f.warning = kTrailingWarning;
    if (r->decode.status == gzip::GzipStatus::ok) {
      f.text += r->text;
      out.totals.text += r->text;
    } else if (f.error.empty()) {
      f.status = std::string(gzip::status_name(r->decode.status));
      f.error = gzip::status_message(r->decode.status, r->decode.sys_errno);
    }
  }
  out.totals.files = out.files.size();
  for (const TokenizeFile& f : out.files) out.totals.failed += f.error.empty() ? 0 : 1;
}

void print_tokenize_problems(const TokenizeOutcome& out, std::ostream& err) {
  for (const TokenizeFile& f : out.files) {
    if (!f.error.empty())
      err << "juggle: " << f.path << ": " << f.error << '\n';
    else if (!f.warning.empty())
      err << "juggle: " << f.path << ": warning: " << f.warning << '\n';
  }
  err.flush();
}

void print_tokenize_summary(const TokenizeOutcome& out, const RunContext& run, const TokenizeCliOptions& o,
                            std::ostream& os) {
  const TokenizeTotals& t = out.totals;
  const RankStats rs = rank_stats(out.ranks);
  os << "tokenize: " << with_commas(t.files) << " files, " << with_commas(t.text.words) << " words, "
     << with_commas(t.distinct) << " distinct, " << binary_size(t.text.bytes) << " of text, "
     << with_commas(t.text.invalid_bytes) << " invalid bytes";
  if (t.failed > 0) os << "; " << t.failed << " failed (not in totals)";
  os << '\n';
  os << "layout: " << run.world.size << (run.world.size == 1 ? " rank" : " ranks") << " x " << run.threads
     << (run.threads == 1 ? " thread" : " threads") << ", rule " << (o.ascii ? "ascii" : "unicode") << ", fold "
     << (o.no_fold ? "off" : "on") << '\n';
  os << "time: wall " << fixed(out.wall_seconds, 3) << " s; tokenize per rank: slowest " << fixed(rs.slowest, 3)
     << " s (rank " << rs.slowest_rank << "), mean " << fixed(rs.mean, 3) << " s, imbalance "
     << fixed(100 * rs.imbalance, 1) << " %\n";
  os << "rate: " << fixed(per_second(static_cast<double>(t.text.bytes) / 1e6, out.wall_seconds), 1) << " MB/s, "
     << fixed(per_second(static_cast<double>(t.text.words) / 1e6, out.wall_seconds), 2) << " M words/s\n";
  os << "check: words=" << t.text.words << " distinct=" << t.distinct << " bytes=" << t.text.bytes
     << " vocab_hash=" << hex64(t.checksum) << " failed=" << t.failed << '\n';
  os << "top " << out.top.size() << " words:\n";
  for (const tokenize::WordCount& w : out.top) os << w.count << ' ' << w.word << '\n';
}

bool write_csv(const TokenizeOutcome& out, const TokenizeCliOptions& o, std::ostream& err) {
  const std::string temp = results::temporary_path_for(o.csv);
  const files::RemoveOnInterrupt guard(temp);
  try {
    {
      std::ofstream csv(temp, std::ios::binary | std::ios::trunc);
      // Words never hold commas, quotes or newlines (all separate words): no quoting needed.
      csv << "word,count\n";
      for (const tokenize::WordCount& w : out.vocab) csv << w.word << ',' << w.count << '\n';
      csv.flush();
      if (!csv) throw std::runtime_error("write failed");
    }
    (void)results::publish(temp, o.csv, o.output.force, false);
    return true;
  } catch (const std::exception& e) {
    ::unlink(temp.c_str());
    err << "juggle: " << o.csv << ": " << e.what() << '\n';
    return false;
  }
}

results::ResultsContent tokenize_results(const TokenizeOutcome& o, const TokenizeCliOptions& options) {
  using results::Column;
  results::ResultsContent c;
  c.steps = {"tokenize"};
  c.root.emplace_back("fold", std::int64_t{options.no_fold ? 0 : 1});
  c.root.emplace_back("ascii_only", std::int64_t{options.ascii ? 1 : 0});
  c.root.emplace_back("chunk_size", parse_size(options.chunk_size).value_or(0));
  c.events = o.events;
  for (const RankSummary& r : o.ranks) c.ranks.push_back({r.rank, r.hostname, r.wtime_offset});

  std::vector<std::string> words;
  std::vector<std::uint64_t> counts;
  for (const tokenize::WordCount& w : o.vocab) {
    words.push_back(w.word);
    counts.push_back(w.count);
  }
  c.tables.push_back({"tokenize", {{"words", Column(std::move(words))}, {"counts", Column(std::move(counts))}}});

  results::Table files{"tokenize/files", {}};
  auto& cols = files.columns;
  cols.emplace_back("path", Column(column<std::string>(o, [](const TokenizeFile& f) { return f.path; })));
  cols.emplace_back("bytes", Column(column<std::uint64_t>(o, [](const TokenizeFile& f) { return f.text.bytes; })));
  cols.emplace_back("words", Column(column<std::uint64_t>(o, [](const TokenizeFile& f) { return f.text.words; })));
  cols.emplace_back("invalid_bytes",
                    Column(column<std::uint64_t>(o, [](const TokenizeFile& f) { return f.text.invalid_bytes; })));
  cols.emplace_back("bytes_in", Column(column<std::uint64_t>(o, [](const TokenizeFile& f) { return f.bytes_in; })));
  cols.emplace_back("rank", Column(column<std::int32_t>(o, [](const TokenizeFile& f) { return f.rank; })));
  cols.emplace_back("thread", Column(column<std::int32_t>(o, [](const TokenizeFile& f) { return f.thread; })));
  cols.emplace_back("seconds", Column(column<double>(o, [](const TokenizeFile& f) { return f.seconds; })));
  cols.emplace_back("pieces", Column(column<std::uint32_t>(o, [](const TokenizeFile& f) { return f.pieces; })));
  cols.emplace_back("gzip", Column(column<std::uint8_t>(o, [](const TokenizeFile& f) { return f.gzip ? 1 : 0; })));
  cols.emplace_back("status", Column(column<std::string>(o, [](const TokenizeFile& f) { return f.status; })));
  cols.emplace_back("error", Column(column<std::string>(o, [](const TokenizeFile& f) { return f.error; })));
  cols.emplace_back("warning", Column(column<std::string>(o, [](const TokenizeFile& f) { return f.warning; })));
  c.tables.push_back(std::move(files));

  const RankStats rs = rank_stats(o.ranks);
  const TokenizeTotals& t = o.totals;
  c.attribute_groups.push_back(
      {"tokenize/total",
       {
           {"files", t.files},
           {"failed", t.failed},
           {"bytes", t.text.bytes},
           {"words", t.text.words},
           {"distinct_words", t.distinct},
           {"invalid_bytes", t.text.invalid_bytes},
           {"stored_words", std::uint64_t{o.vocab.size()}},
           {"vocab_hash", t.checksum},
           {"wall_seconds", o.wall_seconds},
           {"mb_per_s", per_second(static_cast<double>(t.text.bytes) / 1e6, o.wall_seconds)},
           {"words_per_s", per_second(static_cast<double>(t.text.words), o.wall_seconds)},
           {"busy_seconds_max", rs.slowest},
           {"busy_seconds_mean", rs.mean},
           {"imbalance", rs.imbalance},
       }});
  return c;
}

}  // namespace juggle::cli
