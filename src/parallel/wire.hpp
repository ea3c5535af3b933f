// Plain values and byte strings in a message's bytes, for records that are
// not trivially copyable (a path, a vector): appended in the sender's byte
// order (every rank of a job runs the same build on the same kind of node),
// read back with bounds checks so that a short or damaged message is
// refused rather than read past.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace juggle::parallel::wire {

template <class T>
void put(std::vector<char>& out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::size_t at = out.size();
  out.resize(at + sizeof value);
  std::memcpy(out.data() + at, &value, sizeof value);
}

// A length, then the elements.
template <class T>
void put_vector(std::vector<char>& out, const std::vector<T>& values) {
  static_assert(std::is_trivially_copyable_v<T>);
  put<std::uint64_t>(out, values.size());
  const std::size_t at = out.size();
  out.resize(at + values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(out.data() + at, values.data(), values.size() * sizeof(T));
}

// A length, then the bytes (the layout of put_vector of chars).
inline void put_text(std::vector<char>& out, std::string_view text) {
  put<std::uint64_t>(out, text.size());
  out.insert(out.end(), text.begin(), text.end());
}

// Reads one value from the front of `in` and drops it; false if `in` is too short.
template <class T>
[[nodiscard]] bool get(std::span<const char>& in, T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (in.size() < sizeof value) return false;
  std::memcpy(&value, in.data(), sizeof value);
  in = in.subspan(sizeof value);
  return true;
}

template <class T>
[[nodiscard]] bool get_vector(std::span<const char>& in, std::vector<T>& values) {
  std::uint64_t n = 0;
  if (!get(in, n) || n > in.size() / sizeof(T)) return false;
  values.resize(n);
  if (n > 0) std::memcpy(values.data(), in.data(), n * sizeof(T));
  in = in.subspan(n * sizeof(T));
  return true;
}

[[nodiscard]] inline bool get_text(std::span<const char>& in, std::string& text) {
  std::uint64_t n = 0;
  if (!get(in, n) || n > in.size()) return false;
  text.assign(in.data(), n);
  in = in.subspan(n);
  return true;
}

}  // namespace juggle::parallel::wire
