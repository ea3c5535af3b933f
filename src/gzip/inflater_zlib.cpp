// zlib raw-deflate backend: the reference decoder, present in every build.
#include <zlib.h>

#include <new>
#include <stdexcept>

#include "gzip/inflater.hpp"

namespace juggle::gzip {
namespace {

class ZlibInflater final : public RawInflater {
 public:
  ZlibInflater() {
    // Negative window bits: raw deflate, the gzip framing is ours.
    if (inflateInit2(&zs_, -MAX_WBITS) != Z_OK) throw std::bad_alloc();
  }
  ~ZlibInflater() override { inflateEnd(&zs_); }
  ZlibInflater(const ZlibInflater&) = delete;
  ZlibInflater& operator=(const ZlibInflater&) = delete;

  void reset() override {
    inflateReset(&zs_);
    crc_ = static_cast<std::uint32_t>(::crc32(0L, Z_NULL, 0));
  }

  InflateStep inflate(const std::uint8_t* in, std::size_t in_size, std::uint8_t* out,
                      std::size_t out_size) override {
    zs_.next_in = const_cast<Bytef*>(in);  // zlib's API is not const-correct; it never writes input
    zs_.avail_in = static_cast<uInt>(in_size);
    zs_.next_out = out;
    zs_.avail_out = static_cast<uInt>(out_size);
    const int rc = ::inflate(&zs_, Z_NO_FLUSH);
    InflateStep step;
    step.consumed = in_size - zs_.avail_in;
    step.produced = out_size - zs_.avail_out;
    crc_ = static_cast<std::uint32_t>(crc32_z(crc_, out, step.produced));
    switch (rc) {
      case Z_OK:
      case Z_BUF_ERROR: step.result = InflateResult::progress; break;
      case Z_STREAM_END: step.result = InflateResult::stream_end; break;
      case Z_MEM_ERROR: throw std::bad_alloc();
      case Z_STREAM_ERROR: throw std::logic_error("zlib inflate: inconsistent stream state");
      default: step.result = InflateResult::bad_data; break;  // Z_DATA_ERROR, Z_NEED_DICT
    }
    return step;
  }

  [[nodiscard]] std::uint32_t crc32() const noexcept override { return crc_; }

 private:
  z_stream zs_{};
  std::uint32_t crc_ = 0;
};

}  // namespace

std::unique_ptr<RawInflater> make_zlib_inflater() { return std::make_unique<ZlibInflater>(); }

}  // namespace juggle::gzip
