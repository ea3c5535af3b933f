#include "cli/tokenize_command.hpp"
#include "cli/strict.hpp"

#include <CLI/CLI.hpp>

#include "cli/units.hpp"

namespace juggle::cli {

CLI::App* setup_tokenize(CLI::App& app, TokenizeCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("tokenize", "Count word frequencies of text files (plain or gzip), exactly");
  cmd->footer(
      "The word rule: input is UTF-8. A word is a maximal run of letters (Unicode L*), decimal digits (Nd) and\n"
      "combining marks (M*) inside a word. An apostrophe (U+0027 or U+2019) between a word character and a\n"
      "following letter or digit belongs to the word, stored as U+0027 (don't, don\u2019t -> don't).\n"
      "Everything else separates words: punctuation, curly quotes, dashes, symbols, whitespace, the BOM, and bytes that are not valid UTF-8\n"
      "(counted as invalid_bytes). Words are case-folded with Unicode simple case folding unless --no-fold.\n"
      "--ascii reproduces the seed program instead: bytes >= 0x80 are deleted before splitting.\n"
      "Files are plain text or gzip (detected by content). Plain files larger than --chunk-size are split\n"
      "into byte ranges, cut only at ASCII bytes that cannot be inside a word; word counts are then\n"
      "hash-partitioned across ranks. Output is identical for any ranks x threads: words are ordered by\n"
      "count (descending), then by their bytes.\n"
      "Exit status: 0 all files read, 1 some files failed (not in totals), 2 usage error, 3 output not written,\n"
      "4 a rank failed (--strict, out of memory, internal error), 128+N interrupted by signal N.");
  cmd->add_option("paths", o.paths, "text files (plain or gzip) and directories (walked recursively)")->required();
  cmd->add_option("--include", o.include, "file-name pattern for files found in directories (repeatable)")
      ->capture_default_str();
  add_threads_option(*cmd, o.threads, "OpenMP threads per rank (default: OMP_NUM_THREADS, else all cores)");
  cmd->add_option("--top", o.top, "print the N most frequent words")->capture_default_str();
  cmd->add_option("--chunk-size", o.chunk_size, "split plain files larger than this into ranges")
      ->check([](const std::string& v) {
        const auto s = parse_size(v);
        return s && *s > 0 ? std::string() : "not a positive size: " + v;
      })
      ->capture_default_str();
  cmd->add_flag("--no-fold", o.no_fold, "keep case (no case folding)");
  cmd->add_flag("--ascii", o.ascii, "seed-program mode: delete non-ASCII bytes before splitting");
  add_strict_flag(*cmd, o.strict);
  cmd->add_option("--csv", o.csv, "also write the word list as CSV (word,count) to this file");
  cmd->add_option("--vocab-limit", o.vocab_limit, "store only the N most frequent words (0: all)")
      ->capture_default_str();
  add_inflate_option(*cmd, o.inflate);
  add_output_options(*cmd, o.output, "tokenize");
  return cmd;
}

}  // namespace juggle::cli
