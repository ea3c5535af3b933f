// How fast the pieces of chunked gzip decoding are, in CPU time of one thread:
//   - the block-start finder, in MB of compressed input scanned per CPU-second;
//   - one sequential ISA-L pass (the true window), in uncompressed MB per CPU-s;
//   - the marker path (two ISA-L passes with dummy dictionaries, compare,
//     summary), the same unit, over chunks split at confirmed block starts;
//   - r = marker path / sequential pass: the figure the 2-core schedule's
//     speed-up (about 1 + r) depends on.
//   - resolved bytes: each chunk decoded again with its true window.
// It also checks that the combined summaries give the sequential newline
// count and CRC-32, and the resolved bytes its CRC-32, so a fast wrong answer
// cannot go unnoticed (exit status 1).
//
// Usage: bench_chunk_inflate_speed FILE.gz [chunk MiB of compressed input, 4]
//        [slice KiB, 128] [finder MiB to scan, 16] [repeats, 3]
// The sequential pass and the marker path run alternately `repeats` times;
// speeds are the best run of each (least CPU time: on a shared machine the
// least disturbed), and r is also given as the median of the per-round
// ratios, which drifting load on the other core affects less.
// FILE.gz: one gzip member (the first is measured). Run under `nice -n 19`.
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gzip/chunk_inflate.hpp"
#include "gzip/deflate_block_finder.hpp"
#include "gzip/inflater.hpp"

using namespace juggle::gzip;

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Offset of the deflate data in a gzip member (RFC 1952 header).
std::size_t gzip_header_size(const std::vector<std::uint8_t>& f) {
  if (f.size() < 18 || f[0] != 0x1f || f[1] != 0x8b || f[2] != 8) {
    std::fprintf(stderr, "not a gzip file\n");
    std::exit(2);
  }
  const std::uint8_t flags = f[3];
  std::size_t p = 10;
  if (flags & 4) p += 2 + (f[p] | (std::size_t{f[p + 1]} << 8));
  if (flags & 8)
    while (f[p++] != 0) {
    }
  if (flags & 16)
    while (f[p++] != 0) {
    }
  if (flags & 2) p += 2;
  return p;
}

double d(std::uint64_t v) { return static_cast<double>(v); }

std::uint64_t newlines_in(const std::uint8_t* p, std::size_t n) {
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < n; ++i) c += p[i] == '\n';
  return c;
}

struct Sequential {
  double cpu = 0;
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint32_t crc = 0;
};

// One ISA-L pass over the member with the true window; the newline count is
// timed apart (the decoder alone is the reference).
Sequential run_sequential(std::span<const std::uint8_t> deflate) {
  Sequential seq;
  auto inflater = make_isal_inflater();
  std::vector<std::uint8_t> out(128 * 1024);
  double count_cpu = 0;
  const double t0 = thread_cpu_seconds();
  std::size_t pos = 0;
  for (;;) {
    const InflateStep step = inflater->inflate(deflate.data() + pos, deflate.size() - pos, out.data(), out.size());
    pos += step.consumed;
    seq.bytes += step.produced;
    const double c0 = thread_cpu_seconds();
    seq.lines += newlines_in(out.data(), step.produced);
    count_cpu += thread_cpu_seconds() - c0;
    if (step.result != InflateResult::progress) break;
  }
  seq.cpu = thread_cpu_seconds() - t0 - count_cpu;
  seq.crc = inflater->crc32();
  return seq;
}

struct MarkerRun {
  double cpu = 0;        // every chunk, finder calls included
  double later_cpu = 0;  // chunks after the first (the first never has markers)
  std::uint64_t bytes = 0;
  std::uint64_t later_bytes = 0;
  std::size_t rejected = 0;
  std::vector<ChunkSummary> summaries;
  bool ok = true;
};

// The marker path over chunks of about step_bits, split at confirmed candidates.
MarkerRun run_markers(std::span<const std::uint8_t> deflate, std::uint64_t step_bits, ChunkWorkspace& ws) {
  MarkerRun run;
  const std::uint64_t size_bits = std::uint64_t{deflate.size()} * 8;
  const double t0 = thread_cpu_seconds();
  double first_cpu = 0;
  for (std::uint64_t start = 0;;) {
    ChunkSummary s;
    bool placed = false;
    for (std::uint64_t from = start + step_bits; from < size_bits;) {
      const auto c = find_block_start(deflate, from, size_bits);
      if (!c) break;
      const ChunkStatus st = summarize_chunk(deflate, start, c->bit, ws, s);
      if (st == ChunkStatus::ok) {
        placed = true;
        start = c->bit;
        break;
      }
      if (st == ChunkStatus::final_before_stop) break;
      ++run.rejected;
      from = c->bit + 1;
    }
    if (!placed) {
      const ChunkStatus st = summarize_chunk(deflate, start, kToFinalBlock, ws, s);
      if (st != ChunkStatus::ok) {
        std::fprintf(stderr, "last chunk: %s\n", std::string(chunk_status_name(st)).c_str());
        run.ok = false;
        return run;
      }
    }
    run.bytes += s.size;
    if (run.summaries.empty()) first_cpu = thread_cpu_seconds() - t0;
    run.summaries.push_back(std::move(s));
    if (!placed) break;
  }
  run.cpu = thread_cpu_seconds() - t0;
  run.later_cpu = run.cpu - first_cpu;
  run.later_bytes = run.bytes - run.summaries.front().size;
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.gz [chunk_MiB=4] [slice_KiB=128] [finder_MiB=16] [repeats=5]\n", argv[0]);
    return 2;
  }
  const double chunk_mib = argc > 2 ? std::atof(argv[2]) : 4.0;
  const std::size_t slice_kib = argc > 3 ? static_cast<std::size_t>(std::atol(argv[3])) : 128;
  const double finder_mib = argc > 4 ? std::atof(argv[4]) : 16.0;
  const int repeats = argc > 5 ? std::max(1, std::atoi(argv[5])) : 5;
  if (!chunk_decoding_available()) {
    std::printf("skipped: built without ISA-L (the marker path needs it)\n");
    return 77;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<std::uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t header = gzip_header_size(file);
  const std::span<const std::uint8_t> deflate(file.data() + header, file.size() - header);
  const std::uint64_t size_bits = std::uint64_t{deflate.size()} * 8;
  std::printf("file %s: %zu compressed bytes; chunks of ~%.1f MiB compressed, slices of %zu KiB, %d rounds\n", argv[1],
              file.size(), chunk_mib, slice_kib, repeats);

  // The finder over the first finder_mib MiB of compressed input.
  {
    const std::uint64_t end = std::min<std::uint64_t>(size_bits, static_cast<std::uint64_t>(finder_mib * 8 * 1048576));
    std::size_t candidates = 0;
    double cpu = 1e30;
    for (int rep = 0; rep < repeats; ++rep) {
      candidates = 0;
      const double t0 = thread_cpu_seconds();
      for (std::uint64_t from = 0;;) {
        const auto c = find_block_start(deflate, from, end);
        if (!c) break;
        ++candidates;
        from = c->bit + 1;
      }
      cpu = std::min(cpu, thread_cpu_seconds() - t0);
    }
    std::printf("finder: %.1f MB scanned, %zu candidates, %.3f CPU-s, %.0f MB/s of compressed input\n", d(end) / 8e6,
                candidates, cpu, d(end) / 8e6 / cpu);
  }

  ChunkWorkspace ws(slice_kib * 1024);
  const std::uint64_t step_bits = static_cast<std::uint64_t>(chunk_mib * 8 * 1048576);
  Sequential seq;
  MarkerRun best;
  double best_seq = 1e30;
  double best_later = 1e30;
  std::vector<double> ratios;
  std::vector<double> later_ratios;
  for (int rep = 0; rep < repeats; ++rep) {
    seq = run_sequential(deflate);
    MarkerRun run = run_markers(deflate, step_bits, ws);
    if (!run.ok) return 1;
    ratios.push_back((d(run.bytes) / run.cpu) / (d(seq.bytes) / seq.cpu));
    if (run.summaries.size() > 1)
      later_ratios.push_back((d(run.later_bytes) / run.later_cpu) / (d(seq.bytes) / seq.cpu));
    best_seq = std::min(best_seq, seq.cpu);
    best_later = std::min(best_later, run.later_cpu);
    if (rep == 0 || run.cpu < best.cpu) best = std::move(run);
  }
  std::uint64_t markers = 0;
  for (const ChunkSummary& s : best.summaries) markers += s.marker_bytes;
  std::printf("sequential ISA-L pass: %.1f MB out, best %.3f CPU-s, %.0f MB/s\n", d(seq.bytes) / 1e6, best_seq,
              d(seq.bytes) / 1e6 / best_seq);
  std::printf(
      "marker path: %zu chunks (%zu false candidates), %.1f MB out, %.1f %% markers, best %.3f CPU-s, %.0f MB/s\n",
      best.summaries.size(), best.rejected, d(best.bytes) / 1e6, 100.0 * d(markers) / d(best.bytes), best.cpu,
      d(best.bytes) / 1e6 / best.cpu);

  // Combine in order; check against the sequential pass.
  std::vector<std::uint8_t> window(kWindowSize, 0);
  std::vector<std::uint8_t> next(kWindowSize, 0);
  std::uint64_t lines = 0;
  std::uint32_t crc = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
  const double c0 = thread_cpu_seconds();
  for (const ChunkSummary& s : best.summaries) {
    const ChunkTotals t = resolve_summary(s, window, next);
    lines += t.newlines;
    crc = static_cast<std::uint32_t>(crc32_combine(crc, t.crc32, static_cast<z_off_t>(t.size)));
    window.swap(next);
  }
  const double combine_cpu = thread_cpu_seconds() - c0;

  // Resolved bytes (the tokenize path): each chunk decoded once more with its
  // true window, which the combine step above hands from chunk to chunk.
  double resolved_cpu = 0;
  std::uint64_t resolved_bytes = 0;
  std::uint32_t resolved_crc = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
  {
    ResolvedChunkReader reader;
    std::vector<std::uint8_t> win(kWindowSize, 0);
    std::vector<std::uint8_t> win_next(kWindowSize, 0);
    std::vector<std::uint8_t> out(128 * 1024);
    for (std::size_t i = 0; i < best.summaries.size(); ++i) {
      const ChunkSummary& s = best.summaries[i];
      const std::uint64_t stop = s.final_block ? kToFinalBlock : s.end_bit;
      const double r0 = thread_cpu_seconds();
      bool ok =
          reader.open(deflate, s.start_bit, stop, i == 0 ? std::span<const std::uint8_t>{} : win) == ChunkStatus::ok;
      std::uint64_t got_total = 0;
      for (std::size_t got = 1; ok && got != 0;) {
        const ChunkStatus st = reader.read(out, got);
        got_total += got;
        if (got == 0 && st != ChunkStatus::ok) ok = false;
      }
      resolved_cpu += thread_cpu_seconds() - r0;
      if (!ok || got_total != s.size) {
        std::fprintf(stderr, "resolved chunk %zu failed\n", i);
        return 1;
      }
      resolved_bytes += got_total;
      resolved_crc =
          static_cast<std::uint32_t>(crc32_combine(resolved_crc, reader.crc32(), static_cast<z_off_t>(got_total)));
      (void)resolve_summary(s, win, win_next);
      win.swap(win_next);
    }
  }
  std::printf("resolved bytes: %.1f MB, %.3f CPU-s, %.0f MB/s (one pass with the true window), CRC %08x: %s\n",
              d(resolved_bytes) / 1e6, resolved_cpu, d(resolved_bytes) / 1e6 / resolved_cpu, resolved_crc,
              resolved_crc == seq.crc && resolved_bytes == seq.bytes ? "exact" : "MISMATCH");
  const bool exact = lines == seq.lines && crc == seq.crc && best.bytes == seq.bytes && resolved_crc == seq.crc &&
                     resolved_bytes == seq.bytes;
  std::printf("combine: %.4f CPU-s for %zu chunks; newlines %llu vs %llu, CRC %08x vs %08x: %s\n", combine_cpu,
              best.summaries.size(), static_cast<unsigned long long>(lines), static_cast<unsigned long long>(seq.lines),
              crc, seq.crc, exact ? "exact" : "MISMATCH");

  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  std::printf("r = %.3f best/best, %.3f median of rounds (all chunks, finder and combine included)\n",
              (d(best.bytes) / (best.cpu + combine_cpu)) / (d(seq.bytes) / best_seq), median(ratios));
  if (!later_ratios.empty())
    std::printf("r without the first chunk (which never has markers) = %.3f best/best, %.3f median of rounds\n",
                (d(best.later_bytes) / best_later) / (d(seq.bytes) / best_seq), median(later_ratios));
  return exact ? 0 : 1;
}
