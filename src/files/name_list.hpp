// Reading a list of input names from a file or from standard input, as
// tar's and rsync's --files-from do: one name per line, or one per NUL
// byte (--null), for names that hold newlines. The list is read whole
// before any walk starts: it is a list of arguments, not a stream of work,
// and a list too long for a command line (100,000 names) is a few MB.
//
// Names are taken as written: no trimming, no comments, no quoting. Empty
// entries (a blank line, a doubled separator, a final separator) name
// nothing and are skipped; a carriage return before a newline is part of
// the name (as in tar).
#pragma once

#include <string>
#include <vector>

namespace juggle::files {

// "-": standard input, as a list (--files-from -) and as an input (walk.hpp).
inline constexpr const char* kStandardInputName = "-";

// How an input is named in messages: "standard input" for "-" (as gzip says
// "stdin"), else the path itself.
[[nodiscard]] inline std::string message_name(const std::string& path) {
  return path == kStandardInputName ? "standard input" : path;
}

// The names in `list` ("-": standard input), separated by `separator`
// ('\n' or '\0'). Throws std::runtime_error "LIST: reason" when it cannot
// be read, or when it holds a NUL byte while separated by newlines (a
// NUL-separated list given without --null would be one long name).
[[nodiscard]] std::vector<std::string> read_name_list(const std::string& list, char separator);

// The names in `text`, separated by `separator`, empty entries skipped.
[[nodiscard]] std::vector<std::string> split_name_list(const std::string& text, char separator);

}  // namespace juggle::files
