#include "cli/tokenize_command.hpp"

#include <CLI/CLI.hpp>

#include "cli/exit_footer.hpp"
#include "cli/progress_line.hpp"
#include "cli/stage_command.hpp"
#include "cli/stage_summary.hpp"
#include "cli/tokenize_report.hpp"
#include "cli/units.hpp"

namespace juggle::cli {

CLI::App* setup_tokenize(CLI::App& app, TokenizeCliOptions& o) {
  CLI::App* cmd = app.add_subcommand("tokenize", "Count word frequencies of text files (plain or gzip), exactly");
  cmd->footer(
      "The word rule: input is UTF-8. A word is a maximal run of letters (Unicode L*), decimal digits (Nd) and\n"
      "combining marks (M*) inside a word. An apostrophe (U+0027 or U+2019) between a word character and a\n"
      "following letter or digit belongs to the word, stored as U+0027 (don't, don\u2019t -> don't).\n"
      "Everything else separates words: punctuation, curly quotes, dashes, symbols, whitespace, the BOM, and bytes "
      "that are not valid UTF-8\n"
      "(counted as invalid_bytes). Words are case-folded with Unicode simple case folding unless --no-fold.\n"
      "--ascii reproduces the seed program instead: bytes >= 0x80 are deleted before splitting.\n"
      "Files are plain text or gzip (detected by content). Plain files larger than --chunk-size are split\n"
      "into byte ranges, cut only at ASCII bytes that cannot be inside a word. A large gzip file read whole on a\n"
      "rank of several threads is decoded by one of them, which hands blocks of its text to the others. With\n"
      "4 threads or more in all (or one per rank), a large gzip file of one member is cut into chunks of its\n"
      "deflate stream (--split), read twice: once to learn the 32 KiB before each chunk (as count does; the\n"
      "member's CRC-32 and length are checked), then in parallel to tokenize them (a member that does not\n"
      "check out, or is followed by more bytes, is read whole). Word counts are then\n"
      "hash-partitioned across ranks. Output is identical for any ranks x threads: words are ordered by\n"
      "count (descending), then by their bytes.\n"
      "An input - is standard input, read once as one stream (plain or gzip, told by its first bytes) by rank 0\n"
      "(under mpirun only rank 0 has it; the other ranks take the files). With --files-from the names in a list\n"
      "are inputs too. A progress line goes to stderr when it is a terminal or with --progress (not with -q).\n" +
      exit_status_footer({.ok = "all files read", .some_failed = "some files failed (not in totals)"}));
  add_input_options(*cmd, o.inputs, "text files (plain or gzip) and directories");
  cmd->add_option("--include", o.include, "file-name pattern for files found in directories (repeatable)")
      ->capture_default_str();
  cmd->add_option("--top", o.top, "print the N most frequent words")->capture_default_str();
  cmd->add_option("--chunk-size", o.chunk_size, "split plain files larger than this into ranges")
      ->check([](const std::string& v) {
        const auto s = parse_size(v);
        return s && *s > 0 ? std::string() : "not a positive size: " + v;
      })
      ->capture_default_str();
  cmd->add_flag("--no-fold", o.no_fold, "keep case (no case folding)");
  cmd->add_flag("--ascii", o.ascii, "seed-program mode: delete non-ASCII bytes before splitting");
  cmd->add_option("--csv", o.csv, "also write the word list as CSV (word,count) to this file");
  cmd->add_option("--vocab-limit", o.vocab_limit, "store only the N most frequent words (0: all)")
      ->capture_default_str();
  add_threads_option(*cmd, o.threads, "OpenMP threads per rank (default: OMP_NUM_THREADS, else all cores)");
  add_strict_flag(*cmd, o.strict);
  add_inflate_option(*cmd, o.inflate);
  add_split_options(*cmd, o.split, false);
  add_present_options(*cmd, o.present, "WORDS PATH");
  add_output_options(*cmd, o.output, "tokenize");
  return cmd;
}

pipeline::TokenizeSettings tokenize_settings(const TokenizeCliOptions& o) {
  pipeline::TokenizeSettings s;
  s.paths = o.inputs.paths;
  s.include = o.include;
  s.strict = o.strict;
  s.backend = gzip::parse_backend(o.inflate).value_or(gzip::default_backend());
  s.rule.fold = !o.no_fold;
  s.rule.ascii_only = o.ascii;
  s.chunk_size = parse_size(o.chunk_size).value_or(s.chunk_size);
  s.split = member_split(o.split);
  s.top = o.top;
  s.store_vocab = !o.output.no_output || !o.csv.empty();
  s.vocab_limit = o.vocab_limit;
  s.list_files = o.present.per_file;
  return s;
}

int run_tokenize(const TokenizeCliOptions& options, Io io) {
  return pipeline::run_on_all_ranks([&] {
    TokenizeCliOptions o = options;
    if (const int status = take_listed_inputs(o.inputs, io.err); status != kExitOk) return status;
    const pipeline::TokenizeSettings settings = tokenize_settings(o);
    std::vector<std::string> extra_targets;
    if (!o.csv.empty()) extra_targets.push_back(o.csv);
    std::optional<JsonObject> json;
    std::string published;
    const int status = run_one_stage(
        "tokenize", o.output, o.threads, extra_targets, o.command_line, ending_io(io, o.present),
        [&](pipeline::RunContext& run) {
          pipeline::TokenizeOutcome outcome = run_with_progress(
              run, io, o.present.progress, "tokenize", [&] { return pipeline::tokenize_stage(settings, run); });
          return present_tokenize(std::move(outcome), run, o, o.output.force, io, &json);
        },
        &published);
    if (json) print_json_summary(*json, published, io);
    return status;
  });
}

}  // namespace juggle::cli
