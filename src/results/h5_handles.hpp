// A thin RAII layer over the HDF5 C API: handles that close themselves, and
// the two shapes juggle writes (1-D column datasets, laid out as
// column_layout.hpp says, and scalar attributes).
// Every failure throws std::runtime_error naming the object; HDF5's own
// error stack printing is switched off so stderr stays one line per problem.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace juggle::results::h5 {

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() noexcept = default;
  Handle(hid_t id, Closer closer, const std::string& what);  // throws if id < 0
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  [[nodiscard]] hid_t id() const noexcept { return id_; }
  // Closes now and reports failure (a file's close is where data reaches disk).
  void close(const std::string& what);

 private:
  void reset() noexcept;
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// Throws std::runtime_error("HDF5: cannot " + what) when `status` is an HDF5 failure.
void check(herr_t status, const std::string& what);

void silence_hdf5_errors();
[[nodiscard]] std::string library_version();

[[nodiscard]] Handle create_file(const std::string& path);  // truncates
[[nodiscard]] Handle create_group(hid_t parent, const std::string& name);

void write_column(hid_t parent, const std::string& name, std::span<const std::int32_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const std::int64_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const std::uint32_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const std::uint64_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const std::uint8_t> values);
void write_column(hid_t parent, const std::string& name, std::span<const double> values);
// UTF-8 strings, fixed-width where that is cheap (fixed_width_text.hpp),
// else variable-length; h5py's `.asstr()[:]` gives str for both.
void write_column(hid_t parent, const std::string& name, std::span<const std::string> values);

void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, std::uint64_t value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, const std::string& value);

}  // namespace juggle::results::h5
