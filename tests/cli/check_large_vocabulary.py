#!/usr/bin/env python3
"""Checks that a vocabulary of any size is written and read back exactly.

Generates --words distinct words of --length letters (seeded; seven leading
letters name the word's index, so no two are alike), every eighth of them
twice, shuffled into --parts files; tokenizes them with `juggle tokenize` on
--ranks ranks with a CSV and a results file; and compares both, byte for
byte, with the word list the generator implies, built independently here
with numpy: the CSV's lines, /tokenize/counts, /tokenize/word_prefix and
/tokenize/word_suffixes (front_coded_words.hpp), and the check line's
word and distinct counts. It prints the sizes (the vocabulary's records,
word bytes plus an 8-byte count each, against 2 GiB), each rank's peak
memory and collective bytes from /ranks, and the times.

At full size (tests/CMakeLists.txt's JUGGLE_LARGE_TESTS, make test-large)
the vocabulary is over 2 GiB in all (about 0.6 GiB a rank on 4 ranks: the
datasets' sizes and the CSV's offsets pass 2^31); in make test a reduced
size runs with every MPI call limited to a small round
(JUGGLE_MPI_ROUND_BYTES), so its shuffle, ordering and CSV take the many
rounds that more than 1 GiB a rank would take at the real limit.
"""
import os
import re
import subprocess
import sys
import time

import h5py
import numpy as np

from harness import expect, parse_args

INDEX_LETTERS = 7  # 26^7 > 8e9 distinct words
BLOCK = 1 << 20  # rows compared at a time


def words_of_part(args, part):
    """(first index, the part's words as an n x length matrix of letters)."""
    first = args.words * part // args.parts
    n = args.words * (part + 1) // args.parts - first
    m = np.empty((n, args.length), np.uint8)
    index = np.arange(first, first + n, dtype=np.int64)
    for d in range(INDEX_LETTERS):
        m[:, INDEX_LETTERS - 1 - d] = ord("a") + index % 26
        index //= 26
    rng = np.random.default_rng([args.seed, part])
    m[:, INDEX_LETTERS:] = rng.integers(ord("a"), ord("z") + 1, size=(n, args.length - INDEX_LETTERS), dtype=np.uint8)
    return first, m


def twice(first, n):
    """Which of the words first..first+n-1 appear twice."""
    return np.arange(first, first + n) % 8 == 0


def generate(args, corpus):
    os.makedirs(corpus)
    tokens = 0
    for part in range(args.parts):
        first, m = words_of_part(args, part)
        rows = np.concatenate([m, m[twice(first, len(m))]])
        rows = rows[np.random.default_rng([args.seed, part, 1]).permutation(len(rows))]
        sep = np.full((len(rows), 1), ord(" "), np.uint8)
        sep[9::10] = ord("\n")
        with open(os.path.join(corpus, f"part{part:03d}.txt"), "wb") as f:
            f.write(np.hstack([rows, sep]).tobytes())
        tokens += len(rows)
    return tokens


def expected_order(args):
    """Every word in report order (count descending, then bytes), and its count."""
    parts = [words_of_part(args, p) for p in range(args.parts)]
    doubled = np.concatenate([m[twice(first, len(m))] for first, m in parts])
    single = np.concatenate([m[~twice(first, len(m))] for first, m in parts])
    del parts
    ordered = []
    for m in (doubled, single):
        keys = np.ascontiguousarray(m).view(f"S{args.length}").ravel()
        ordered.append(m[np.argsort(keys, kind="stable")])
    counts = np.concatenate([np.full(len(doubled), 2, np.uint64), np.full(len(single), 1, np.uint64)])
    return np.concatenate(ordered), counts


def check_file_and_csv(args, words, counts, output, csv):
    length = args.length
    with h5py.File(output, "r") as h5:
        group = h5["tokenize"]
        expect(group["counts"].shape == (len(words),), f"/tokenize/counts has {group['counts'].shape} rows")
        expect(np.array_equal(group["counts"][:], counts), "/tokenize/counts differs from the expected counts")
        prefix = group["word_prefix"][:]
        suffixes = group["word_suffixes"]
        sizes = {name: group[name].size * group[name].dtype.itemsize for name in ("counts", "word_prefix", "word_suffixes")}
        at = 0
        with open(csv, "rb") as f:
            header = f.readline()
            expect(header == b"word,count\n", f"CSV header {header!r}")
            for start in range(0, len(words), BLOCK):
                block = words[start:start + BLOCK]
                before = words[start - 1:start] if start > 0 else np.zeros((0, length), np.uint8)
                joined = np.concatenate([before, block])
                shared = np.argmin(joined[1:] == joined[:-1], axis=1) if len(joined) > 1 else np.zeros(0, np.int64)
                lcp = np.concatenate([[0], shared]) if start == 0 else shared
                lcp = np.minimum(lcp, 255)
                expect(np.array_equal(prefix[start:start + len(block)], lcp),
                       f"/tokenize/word_prefix differs in rows {start}..{start + len(block) - 1}")
                rows = np.hstack([block, np.full((len(block), 1), ord("\n"), np.uint8)])
                keep = np.arange(length + 1)[None, :] >= lcp[:, None]
                keep[:, length] = True
                want = rows[keep]
                got = suffixes[at:at + len(want)]
                expect(np.array_equal(got, want), f"/tokenize/word_suffixes differs in rows {start}..")
                at += len(want)
                lines = np.hstack([block, np.full((len(block), 1), ord(","), np.uint8),
                                   (ord("0") + counts[start:start + len(block)]).astype(np.uint8)[:, None],
                                   np.full((len(block), 1), ord("\n"), np.uint8)]).tobytes()
                expect(f.read(len(lines)) == lines, f"the CSV differs in rows {start}..{start + len(block) - 1}")
            expect(f.read(1) == b"", "the CSV has more lines than the vocabulary")
        expect(at == suffixes.size, f"/tokenize/word_suffixes holds {suffixes.size} bytes, expected {at}")
        ranks = {k: list(h5["ranks"][k][:]) for k in ("rank", "peak_rss_kb", "collective_bytes")}
    return sizes, ranks


def mode_large(args):
    t0 = time.time()
    corpus = os.path.join(args.work, "corpus")
    tokens = generate(args, corpus)
    t1 = time.time()
    csv = os.path.join(args.work, "words.csv")
    output = os.path.join(args.work, "words.h5")
    cmd = [args.mpiexec, "-n", str(args.ranks), "--oversubscribe", args.juggle, "tokenize", "--top", "0",
           "--threads", str(args.threads), "--csv", csv, "--output", output, corpus]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    expect(run.returncode == 0, f"exit {run.returncode}\n{run.stderr[-2000:]}")
    t2 = time.time()
    check = re.search(r"^check: words=(\d+) distinct=(\d+) ", run.stdout, re.M)
    expect(check is not None, f"no check line in:\n{run.stdout[-1000:]}")
    expect((int(check[1]), int(check[2])) == (tokens, args.words),
           f"check line says words={check[1]} distinct={check[2]}, expected {tokens} and {args.words}")
    words, counts = expected_order(args)
    sizes, ranks = check_file_and_csv(args, words, counts, output, csv)
    t3 = time.time()
    records = args.words * (args.length + 8)
    print(f"vocabulary: {args.words} words of {args.length} letters, {tokens} tokens in {args.parts} files; "
          f"records (word bytes + 8 B count) {records} B = {records / 2**30:.2f} GiB")
    print(f"results file datasets: " + ", ".join(f"{k} {v} B" for k, v in sizes.items()) +
          f"; total {sum(sizes.values()) / 2**30:.2f} GiB; CSV {os.path.getsize(csv)} B")
    others = [kb for r, kb in zip(ranks["rank"], ranks["peak_rss_kb"]) if r != 0]
    print(f"{args.ranks} ranks x {args.threads} threads: peak kB by rank {ranks['peak_rss_kb']}"
          + (f", rank 0 / mean of others {ranks['peak_rss_kb'][0] / (sum(others) / len(others)):.2f}" if others else "")
          + f"; collective bytes by rank {ranks['collective_bytes']}")
    print(f"times: generate {t1 - t0:.0f} s, juggle {t2 - t1:.0f} s, check {t3 - t2:.0f} s; "
          f"JUGGLE_MPI_ROUND_BYTES={os.environ.get('JUGGLE_MPI_ROUND_BYTES', '(1 GiB)')}")
    print("ok: the CSV and the results file hold exactly the generated vocabulary")


def main():
    parse_args({"large": mode_large},
               lambda p: (p.add_argument("--words", type=int, default=21_000_000),
                          p.add_argument("--length", type=int, default=112),
                          p.add_argument("--parts", type=int, default=32),
                          p.add_argument("--seed", type=int, default=19),
                          p.add_argument("--timeout", type=int, default=3600)))


if __name__ == "__main__":
    main()
