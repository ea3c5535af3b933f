#include "cli/exit_footer.hpp"

#include <vector>

#include "pipeline/exit_status.hpp"

namespace juggle::cli {

std::string exit_status_footer(const ExitWording& w) {
  std::vector<std::string> parts;
  const auto add = [&](const std::string& code, const std::string& meaning) {
    // A code and the first word of its meaning stay on one line (\x01 is a space that does not break).
    if (!meaning.empty()) parts.push_back(code + "\x01" + meaning);
  };
  add(std::to_string(kExitOk), w.ok);
  add(std::to_string(kExitSomeFailed), w.some_failed);
  add(std::to_string(kExitUsage), w.usage);
  add(std::to_string(kExitOutput), w.output);
  add(std::to_string(kExitInternal), w.internal);
  add("128+N", w.interrupted);
  // Words wrapped at 110 columns, as the rest of the help.
  std::string text, line = "Exit status:";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string word;
    for (char c : parts[i] + (i + 1 < parts.size() ? "," : ".") + " ") {
      if (c != ' ') {
        word += c;
        continue;
      }
      if (line.size() + 1 + word.size() > 110) {
        text += line + '\n';
        line = word;
      } else {
        line += ' ' + word;
      }
      word.clear();
    }
  }
  text += line;
  for (char& c : text)
    if (c == '\x01') c = ' ';
  return text;
}

}  // namespace juggle::cli
