#include "cli/job_file.hpp"

#include <toml++/toml.h>

#include <sstream>
#include <stdexcept>

namespace juggle::cli {
namespace {

std::string scalar_text(const toml::node& node, const std::string& where) {
  if (const auto s = node.value<std::string>()) return *s;
  if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
  if (node.is_floating_point()) {
    std::ostringstream out;
    out << *node.value<double>();
    return out.str();
  }
  throw std::runtime_error(where + ": expected a string or a number");
}


std::string location(const std::string& path, const toml::node& node) {
  const auto& where = node.source().begin;
  return path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

}  // namespace

JobFile read_job_file(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw std::runtime_error(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                             std::string(e.description()));
  }
  JobFile job;
  for (auto&& [section, node] : root) {
    const toml::table* table = node.as_table();
    if (!table) throw std::runtime_error(location(path, node) + ": '" + std::string(section.str()) + "' must be a [section]");
    auto& entries = job.entries[std::string(section.str())];
    for (auto&& [key, value] : *table) {
      const std::string name(key.str());
      const std::string where = location(path, value);
      if (value.is_boolean()) {
        entries.emplace_back(name, *value.value<bool>() ? "true" : "false");
      } else if (const toml::array* list = value.as_array()) {
        for (const toml::node& item : *list) entries.emplace_back(name, scalar_text(item, where));
      } else {
        entries.emplace_back(name, scalar_text(value, where));
      }
    }
  }
  return job;
}

void apply_override(JobFile& job, const std::string& assignment) {
  const auto dot = assignment.find('.');
  const auto eq = assignment.find('=');
  if (dot == std::string::npos || eq == std::string::npos || dot > eq || dot == 0 || eq == dot + 1)
    throw std::runtime_error("--set " + assignment + ": expected section.key=value");
  auto& entries = job.entries[assignment.substr(0, dot)];
  const std::string key = assignment.substr(dot + 1, eq - dot - 1);
  std::erase_if(entries, [&](const auto& entry) { return entry.first == key; });
  entries.emplace_back(key, assignment.substr(eq + 1));
}

std::vector<std::string> section_args(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<std::string> args;
  std::vector<std::string> positional;
  for (const auto& [key, value] : entries) {
    if (key == "paths") {
      positional.push_back(value);
    } else if (value == "true") {
      args.push_back("--" + key);
    } else if (value != "false") {
      args.push_back("--" + key + "=" + value);  // one token: a value may start with '-'
    }
  }
  // After "--", a path that starts with '-' is still a path.
  if (!positional.empty()) args.push_back("--");
  args.insert(args.end(), positional.begin(), positional.end());
  return args;
}

}  // namespace juggle::cli
