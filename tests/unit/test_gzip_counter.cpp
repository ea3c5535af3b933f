#include <catch2/catch.hpp>

#include <zlib.h>

#include <cerrno>
#include <string>

#include "count/gzip_line_counter.hpp"
#include "gzip_fixtures.hpp"

using namespace juggle::count;
using namespace juggle::gzip;
using namespace juggle::test;

namespace {

std::vector<InflateBackend> backends() {
  std::vector<InflateBackend> all{InflateBackend::zlib};
  if (backend_available(InflateBackend::isal)) all.push_back(InflateBackend::isal);
  return all;
}

LineCount count_with(InflateBackend backend, const Bytes& data, std::size_t piece = SIZE_MAX,
                     std::size_t in_size = CountWorkspace::default_in_size,
                     std::size_t out_size = CountWorkspace::default_out_size) {
  CountWorkspace ws(backend, in_size, out_size);
  MemorySource source(data, piece);
  return count_gzip_lines(source, ws);
}

// Counts with every backend and piece size; all must agree on everything.
LineCount count_everywhere(const Bytes& data) {
  const LineCount reference = count_with(InflateBackend::zlib, data);
  for (const InflateBackend backend : backends()) {
    for (const std::size_t piece : {SIZE_MAX, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                                    std::size_t{13}, std::size_t{4096}}) {
      INFO("backend " << backend_name(backend) << ", piece " << piece);
      const LineCount c = count_with(backend, data, piece);
      CHECK(c.status == reference.status);
      // How much of a damaged stream decodes before the error is found
      // differs between decoders and read sizes: only the status must agree.
      if (reference.status != GzipStatus::ok) continue;
      CHECK(c.lines == reference.lines);
      CHECK(c.bytes_out == reference.bytes_out);
      CHECK(c.bytes_in == reference.bytes_in);
      CHECK(c.crc32 == reference.crc32);
      CHECK(c.members == reference.members);
      CHECK(c.unterminated == reference.unterminated);
      CHECK(c.trailing_garbage == reference.trailing_garbage);
    }
  }
  return reference;
}

void expect_text(const LineCount& c, std::string_view text, std::uint32_t members = 1) {
  CHECK(c.status == GzipStatus::ok);
  CHECK(c.lines == newlines_in(text));
  CHECK(c.bytes_out == text.size());
  CHECK(c.crc32 == crc32_of(text));
  CHECK(c.members == members);
  CHECK(c.unterminated == (!text.empty() && text.back() != '\n'));
}

}  // namespace

TEST_CASE("well-formed files count like zcat | wc -l", "[count][gzip]") {
  for (const std::string text : {std::string(""), std::string("x"), std::string("\n"), std::string("one\ntwo\n"),
                                 std::string("no final newline\nlast"), std::string("dos\r\nlines\r\n"),
                                 sample_text(3 << 20, 1)}) {
    INFO("text of " << text.size() << " bytes");
    for (const int level : {0, 1, 6, 9}) expect_text(count_everywhere(gzip_member(text, level)), text);
  }
}

TEST_CASE("every member of a concatenated file is counted", "[count][gzip]") {
  const std::string a = sample_text(200000, 2);
  const std::string b = "middle member without newline";
  const std::string c = sample_text(70000, 3);
  const LineCount r = count_everywhere(concat({gzip_member(a), gzip_member(""), gzip_member(b), gzip_member(c, 1)}));
  expect_text(r, a + b + c, 4);
}

TEST_CASE("optional header fields are skipped and the header CRC checked", "[count][gzip]") {
  HeaderOptions h;
  h.extra = std::string(300, 'e');
  h.name = "file.txt";
  h.comment = "a comment";
  h.header_crc = true;
  expect_text(count_everywhere(gzip_member("a\nb\n", 6, h)), "a\nb\n");
  h.corrupt_header_crc = true;
  CHECK(count_everywhere(gzip_member("a\nb\n", 6, h)).status == GzipStatus::bad_header);
}

TEST_CASE("damaged files get gzip's diagnosis", "[count][gzip][errors]") {
  const std::string text = sample_text(100000, 4);
  const Bytes good = gzip_member(text);

  SECTION("empty file") { CHECK(count_everywhere({}).status == GzipStatus::truncated); }
  SECTION("one byte") {
    CHECK(count_everywhere({0x1f}).status == GzipStatus::truncated);
    CHECK(count_everywhere({'x'}).status == GzipStatus::not_gzip);
  }
  SECTION("plain text") { CHECK(count_everywhere(as_bytes("hello\nworld\n")).status == GzipStatus::not_gzip); }
  SECTION("unknown method") {
    HeaderOptions h;
    h.method = 7;
    CHECK(count_everywhere(gzip_member(text, 6, h)).status == GzipStatus::unknown_method);
  }
  SECTION("reserved flag bits") {
    HeaderOptions h;
    h.extra_flags = 0x20;
    CHECK(count_everywhere(gzip_member(text, 6, h)).status == GzipStatus::bad_header);
  }
  SECTION("truncated anywhere") {
    for (const std::size_t cut : {std::size_t{5}, std::size_t{10}, good.size() / 3, good.size() - 9, good.size() - 4,
                                  good.size() - 1}) {
      INFO("cut at " << cut);
      const Bytes part(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut));
      CHECK(count_everywhere(part).status == GzipStatus::truncated);
    }
  }
  SECTION("cut at every byte of a small member: truncated for every backend") {
    // ISA-L reads ahead and judged a dynamic block header cut by the end of
    // the file "invalid" where zlib and gzip say "unexpected end of file"
    // (found by tests/fuzz); the decoder now asks zlib for the verdict.
    const Bytes small = gzip_member(sample_text(300, 5), 9);
    for (std::size_t cut = 1; cut < small.size(); ++cut) {
      INFO("cut at " << cut << " of " << small.size());
      const Bytes part(small.begin(), small.begin() + static_cast<std::ptrdiff_t>(cut));
      CHECK(count_everywhere(part).status == GzipStatus::truncated);
    }
    const Bytes found_by_fuzzing{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x67, 0x00, 0x03, 0x75, 0xd2, 0x3b,
                                 0x0e, 0xc2, 0x00, 0x10, 0x03, 0xd1, 0x9e, 0x53, 0xec, 0x11, 0xb0, 0x4d, 0xf8,
                                 0x1c, 0x27, 0x45, 0x22, 0x45, 0x5a, 0xa0, 0xe0, 0xfe, 0x1f, 0x12, 0x8b};
    CHECK(count_everywhere(found_by_fuzzing).status == GzipStatus::truncated);
  }
  SECTION("a distance too far back is bad data for every backend") {
    // ISA-L read on to the end of this stream and called it truncated;
    // zlib rejects its fourth byte (found by tests/fuzz).
    const Bytes found_by_fuzzing{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x7d, 0x0e, 0x14, 0xda, 0x00,
                                 0x7d, 0x0e, 0x16, 0xda, 0x03, 0x00, 0x00, 0x00, 0x67, 0x61, 0x72, 0x62, 0x61, 0x67, 0x65};
    CHECK(count_everywhere(found_by_fuzzing).status == GzipStatus::bad_data);
  }
  SECTION("CRC mismatch") {
    Bytes bad = good;
    bad[bad.size() - 8] ^= 0xff;
    const LineCount c = count_everywhere(bad);
    CHECK(c.status == GzipStatus::crc_mismatch);
    CHECK(c.lines == newlines_in(text));  // the data itself decoded
  }
  SECTION("ISIZE mismatch") {
    Bytes bad = good;
    bad[bad.size() - 1] ^= 0x01;
    CHECK(count_everywhere(bad).status == GzipStatus::length_mismatch);
  }
  SECTION("corrupt deflate data is never ok, with either backend") {
    for (std::size_t at = 12; at < good.size() - 8; at += good.size() / 37) {
      Bytes bad = good;
      bad[at] ^= 0x5a;
      for (const InflateBackend backend : backends()) {
        INFO("flip at " << at << ", backend " << backend_name(backend));
        CHECK(count_with(backend, bad).status != GzipStatus::ok);
      }
    }
  }
  SECTION("damage in a later member") {
    Bytes second = gzip_member("second\n");
    second[second.size() - 6] ^= 0x10;
    CHECK(count_everywhere(concat({good, second})).status == GzipStatus::crc_mismatch);
    const Bytes cut(second.begin(), second.begin() + 12);
    CHECK(count_everywhere(concat({good, cut})).status == GzipStatus::truncated);
  }
}

TEST_CASE("bytes after the last member: garbage warns and zeros are padding", "[count][gzip]") {
  const std::string text = "alpha\nbeta\n";
  const LineCount garbage = count_everywhere(concat({gzip_member(text), as_bytes("junk after the end")}));
  expect_text(garbage, text);
  CHECK(garbage.trailing_garbage);
  CHECK(garbage.trailing_bytes == 18);
  const LineCount zeros = count_everywhere(concat({gzip_member(text), Bytes(512, 0)}));
  expect_text(zeros, text);
  CHECK_FALSE(zeros.trailing_garbage);
  CHECK(zeros.trailing_bytes == 512);
  // As gzip 1.12 has it: one non-zero byte is a magic number cut short
  // ("unexpected end of file", exit 1), two are garbage, a zero is padding.
  CHECK(count_everywhere(concat({gzip_member(text), Bytes{0x1f}})).status == GzipStatus::truncated);
  CHECK(count_everywhere(concat({gzip_member(text), Bytes{0x0b}})).status == GzipStatus::truncated);
  const LineCount two = count_everywhere(concat({gzip_member(text), Bytes{0x0b, 0x0b}}));
  expect_text(two, text);
  CHECK(two.trailing_garbage);
  const LineCount zero_then_byte = count_everywhere(concat({gzip_member(text), Bytes{0x00, 0x0b}}));
  expect_text(zero_then_byte, text);
  CHECK(zero_then_byte.trailing_garbage);
  const LineCount one_zero = count_everywhere(concat({gzip_member(text), Bytes{0x00}}));
  expect_text(one_zero, text);
  CHECK_FALSE(one_zero.trailing_garbage);
}

TEST_CASE("tiny workspace buffers give the same counts", "[count][gzip]") {
  const std::string text = sample_text(300000, 5);
  const Bytes data = concat({gzip_member(text), gzip_member(text, 1)});
  for (const InflateBackend backend : backends()) {
    for (const std::size_t in : {1, 2, 9, 100}) {
      for (const std::size_t out : {1, 3, 1000}) {
        INFO(backend_name(backend) << " in " << in << " out " << out);
        expect_text(count_with(backend, data, SIZE_MAX, in, out), text + text, 2);
      }
    }
  }
}

namespace {

class FailingSource final : public ByteSource {
 public:
  explicit FailingSource(Bytes data) : data_(std::move(data)) {}
  std::ptrdiff_t read(std::span<std::uint8_t> dst) override {
    if (served_) {
      error_ = EIO;
      return -1;
    }
    served_ = true;
    const std::size_t n = std::min(dst.size(), data_.size());
    std::copy_n(data_.begin(), n, dst.begin());
    return static_cast<std::ptrdiff_t>(n);
  }

 private:
  Bytes data_;
  bool served_ = false;
};

}  // namespace

TEST_CASE("read errors and missing files are reported with errno", "[count][gzip][errors]") {
  const Bytes good = gzip_member(sample_text(50000, 6));
  for (const InflateBackend backend : backends()) {
    CountWorkspace ws(backend);
    FailingSource source(Bytes(good.begin(), good.begin() + 1000));
    const LineCount c = count_gzip_lines(source, ws);
    CHECK(c.status == GzipStatus::read_error);
    CHECK(c.sys_errno == EIO);
    const LineCount missing = count_gzip_file("/nonexistent/juggle/test.gz", ws);
    CHECK(missing.status == GzipStatus::read_error);
    CHECK(missing.sys_errno == ENOENT);
    CHECK(status_message(missing.status, missing.sys_errno) == "No such file or directory");
  }
}

namespace {

// Serves header + `repeats` copies of one compressed block + tail without
// holding them in memory: a member of several GiB costs nothing to build.
class RepeatSource final : public ByteSource {
 public:
  RepeatSource(Bytes head, Bytes block, std::uint64_t repeats, Bytes tail)
      : head_(std::move(head)), block_(std::move(block)), tail_(std::move(tail)), repeats_(repeats) {}
  std::ptrdiff_t read(std::span<std::uint8_t> dst) override {
    while (true) {
      const Bytes* part = stage_ == 0 ? &head_ : stage_ == 1 ? &block_ : stage_ == 2 ? &tail_ : nullptr;
      if (!part) return 0;
      if (pos_ < part->size()) {
        const std::size_t n = std::min(dst.size(), part->size() - pos_);
        std::copy_n(part->begin() + static_cast<std::ptrdiff_t>(pos_), n, dst.begin());
        pos_ += n;
        return static_cast<std::ptrdiff_t>(n);
      }
      pos_ = 0;
      if (stage_ != 1 || ++done_ >= repeats_) ++stage_;
    }
  }

 private:
  Bytes head_, block_, tail_;
  std::uint64_t repeats_;
  std::uint64_t done_ = 0;
  int stage_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace

TEST_CASE("a member over 4 GiB wraps ISIZE modulo 2^32", "[count][gzip][large]") {
  // One 1 MiB block of text deflated with a full flush is byte-aligned and
  // refers to nothing before it, so its compressed bytes can be repeated.
  std::string block;
  while (block.size() < (1u << 20)) block += "the quick brown fox jumps over the lazy dog " + std::to_string(block.size() % 97) + "\n";
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  Bytes packed(deflateBound(&zs, block.size()) + 64);
  zs.next_in = reinterpret_cast<Bytef*>(block.data());
  zs.avail_in = static_cast<uInt>(block.size());
  zs.next_out = packed.data();
  zs.avail_out = static_cast<uInt>(packed.size());
  REQUIRE(deflate(&zs, Z_FULL_FLUSH) == Z_OK);
  packed.resize(zs.total_out);
  deflateEnd(&zs);

  const std::uint64_t repeats = 4200;  // 4200 MiB > 4 GiB
  const std::uint64_t total = repeats * block.size();
  std::uint32_t crc = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
  const std::uint32_t block_crc = crc32_of(block);
  for (std::uint64_t i = 0; i < repeats; ++i)
    crc = static_cast<std::uint32_t>(crc32_combine64(crc, block_crc, static_cast<z_off64_t>(block.size())));
  const Bytes head = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
  Bytes tail = {0x03, 0x00};  // final, empty fixed-Huffman block
  for (int i = 0; i < 4; ++i) tail.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
  for (int i = 0; i < 4; ++i) tail.push_back(static_cast<std::uint8_t>(total >> (8 * i)));

  for (const InflateBackend backend : backends()) {
    INFO(backend_name(backend));
    CountWorkspace ws(backend);
    RepeatSource source(head, packed, repeats, tail);
    const LineCount c = count_gzip_lines(source, ws);
    CHECK(c.status == GzipStatus::ok);
    CHECK(c.bytes_out == total);
    CHECK(c.lines == repeats * newlines_in(block));
    CHECK(c.crc32 == crc);
  }
}

TEST_CASE("random damage never crashes and both decoders agree on what is intact", "[count][gzip][errors]") {
  const Bytes pristine =
      concat({gzip_member(sample_text(3000, 8), 6), gzip_member("tail\n", 1), gzip_member(sample_text(500, 9), 0)});
  std::uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  int intact = 0;
  for (int round = 0; round < 10000; ++round) {
    Bytes data = pristine;
    switch (next() % 4) {
      case 0:  // flip bits
        for (std::uint64_t k = 0, n = 1 + next() % 3; k < n; ++k) data[next() % data.size()] ^= static_cast<std::uint8_t>(1u << (next() % 8));
        break;
      case 1:  // cut
        data.resize(next() % data.size());
        break;
      case 2:  // insert a byte
        data.insert(data.begin() + static_cast<std::ptrdiff_t>(next() % data.size()), static_cast<std::uint8_t>(next()));
        break;
      default:  // overwrite a run with one value
        for (std::uint64_t at = next() % data.size(), k = 0; k < 8 && at + k < data.size(); ++k) data[at + k] = 0;
        break;
    }
    const LineCount z = count_with(InflateBackend::zlib, data);
    for (const InflateBackend backend : backends()) {
      const LineCount c = count_with(backend, data, 1 + next() % 64);
      INFO("round " << round << " backend " << backend_name(backend));
      REQUIRE((c.status == GzipStatus::ok) == (z.status == GzipStatus::ok));
      if (c.status == GzipStatus::ok) {
        REQUIRE(c.lines == z.lines);
        REQUIRE(c.crc32 == z.crc32);
        REQUIRE(c.members == z.members);
      }
    }
    intact += z.status == GzipStatus::ok;
  }
  CHECK(intact < 10000);  // the damage did reach the decoders
}
