#include "cli/json_object.hpp"

#include <cmath>
#include <cstdio>

#include "report/text_table.hpp"

namespace juggle::cli {

JsonObject& JsonObject::number(std::string_view key, double value) {
  if (!std::isfinite(value)) return null(key);
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);  // JSON has no "inf"; %g never writes a leading '+' or '.'
  return raw(key, text);
}

JsonObject& JsonObject::text(std::string_view key, std::string_view value) {
  return raw(key, report::json_string(value));
}

JsonObject& JsonObject::array(std::string_view key, const std::vector<JsonObject>& values) {
  std::string items;
  for (const JsonObject& v : values) items += (items.empty() ? "" : ", ") + v.str();
  return raw(key, "[" + items + "]");
}

JsonObject& JsonObject::raw(std::string_view key, const std::string& value) {
  if (!fields_.empty()) fields_ += ", ";
  fields_ += report::json_string(key) + ": " + value;
  return *this;
}

}  // namespace juggle::cli
