// One JSON object built field by field and printed on one line, for
// machine-read summaries (--summary json): numbers are bare JSON numbers,
// never quoted; strings are escaped as report's JSON escapes them
// (report/text_table.hpp); a number that is not finite becomes null.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace juggle::cli {

class JsonObject {
 public:
  template <std::integral T>
  JsonObject& number(std::string_view key, T value) {
    return raw(key, std::is_same_v<T, bool> ? (value ? "true" : "false") : std::to_string(value));
  }
  JsonObject& number(std::string_view key, double value);
  JsonObject& text(std::string_view key, std::string_view value);
  JsonObject& null(std::string_view key) { return raw(key, "null"); }
  JsonObject& object(std::string_view key, const JsonObject& value) { return raw(key, value.str()); }
  JsonObject& array(std::string_view key, const std::vector<JsonObject>& values);

  // {"key": value, ...}
  [[nodiscard]] std::string str() const { return "{" + fields_ + "}"; }

 private:
  JsonObject& raw(std::string_view key, const std::string& value);
  std::string fields_;
};

}  // namespace juggle::cli
