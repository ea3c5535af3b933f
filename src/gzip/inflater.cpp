#include "gzip/inflater.hpp"

#include <zlib.h>

#include <stdexcept>
#include <string>

#ifdef JUGGLE_HAVE_ISAL
#include <isa-l.h>
#endif

namespace juggle::gzip {

std::string_view backend_name(InflateBackend backend) noexcept {
  return backend == InflateBackend::isal ? "isal" : "zlib";
}

bool backend_available(InflateBackend backend) noexcept {
#ifdef JUGGLE_HAVE_ISAL
  (void)backend;
  return true;
#else
  return backend == InflateBackend::zlib;
#endif
}

InflateBackend default_backend() noexcept {
  return backend_available(InflateBackend::isal) ? InflateBackend::isal : InflateBackend::zlib;
}

std::optional<InflateBackend> parse_backend(std::string_view text) noexcept {
  if (text == "auto") return default_backend();
  if (text == "zlib") return InflateBackend::zlib;
  if (text == "isal") return InflateBackend::isal;
  return std::nullopt;
}

std::string_view backend_version(InflateBackend backend) noexcept {
  if (backend == InflateBackend::zlib) return zlibVersion();
#ifdef JUGGLE_HAVE_ISAL
#define JUGGLE_STR2(x) #x
#define JUGGLE_STR(x) JUGGLE_STR2(x)
  return JUGGLE_STR(ISAL_MAJOR_VERSION) "." JUGGLE_STR(ISAL_MINOR_VERSION) "." JUGGLE_STR(ISAL_PATCH_VERSION);
#else
  return "";
#endif
}

std::unique_ptr<RawInflater> make_inflater(InflateBackend backend) {
  if (!backend_available(backend))
    throw std::invalid_argument("inflate backend '" + std::string(backend_name(backend)) +
                                "' is not built into this juggle");
  return backend == InflateBackend::isal ? make_isal_inflater() : make_zlib_inflater();
}

}  // namespace juggle::gzip
