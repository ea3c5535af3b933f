// Carrying an exception out of an OpenMP parallel region.
//
// An exception must not escape a parallel region (the runtime would
// terminate the process without a word). Each iteration runs inside
// `capture`; the first exception is kept and rethrown by `rethrow` after the
// region, on the calling thread, where the normal error path reports it.
#pragma once

#include <exception>
#include <mutex>

namespace juggle::parallel {

class FirstException {
 public:
  template <class F>
  void capture(F&& body) noexcept {
    try {
      body();
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }
  [[nodiscard]] std::exception_ptr get() const { return error_; }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
};

}  // namespace juggle::parallel
