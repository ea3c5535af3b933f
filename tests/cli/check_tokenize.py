#!/usr/bin/env python3
"""Checks `juggle tokenize` from the outside against an independent reference.

Modes:
  reference  the word list (CSV) equals tests/tokenize/reference_tokenize.py
             on the same files, for the given ranks x threads x chunk size;
             stdout's top words and totals and the results file (h5py) agree
             with it; the results file is compressed, no larger than the
             CSV gzip'd (unless --vocab-limit leaves a short list), and read
             by the snippet of docs/results-format.md, analysis/
             show_results.py and h5dump;
  books      the same on the Project Gutenberg books in --corpus (exit 77,
             ctest's skip, when they are absent);
  errors     bad inputs: a corrupt gzip fails alone (exit 1, its words not in
             the totals), binary data and a long line without newline are
             counted, a missing path is named.
  member     gzip members of every kind (member_kinds.py), and damaged copies
             of one, tokenized with each member cut into deflate chunks
             (--split always, chunks of 16 KiB and larger than the files):
             the word list, the check line, the exit status, the verdicts
             and the per-file table equal those of the uncut run; and a
             larger member (and damaged copies), read whole by one worker
             that hands blocks of its text to the others (--split auto).
  vocabulary a generated vocabulary of --words distinct words (1,000,000 by
             default, in 64 files), tokenized on 1 rank and on --ranks ranks: the CSV, the
             check line and the /tokenize datasets are equal, and rank 0's
             peak memory is at most 1.3 times the mean of the other ranks'
             in one of up to three runs (no rank gathers the vocabulary,
             which would raise it in every run); /ranks records each rank's
             peak memory (at most the process's) and the same number of
             collective calls on every rank.
Every subprocess has a timeout.
"""
import base64
import glob
import gzip
import os
import re
import shutil
import subprocess
import sys

import h5py

from harness import TIMEOUT, expect, fail, parse_args, run_juggle
from member_kinds import member_folders

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "..", "tokenize", "reference_tokenize.py")
sys.path.insert(0, os.path.join(HERE, "..", "..", "analysis"))
import show_results  # noqa: E402  (its vocabulary_words, as users get it)


def juggle(args, juggle_args):
    return run_juggle(args.juggle, juggle_args, args.ranks, args.mpiexec)


def reference_csv(files, extra=()):
    result = subprocess.run([sys.executable, REFERENCE, *extra, *files], capture_output=True, timeout=TIMEOUT,
                            check=True)
    return result.stdout.decode("utf-8", "surrogateescape")


def parse_csv(text):
    lines = text.splitlines()
    expect(lines and lines[0] == "word,count", "CSV header")
    return [(w, int(c)) for w, c in (line.rsplit(",", 1) for line in lines[1:])]


def inputs_of(corpus):
    return sorted(glob.glob(os.path.join(corpus, "*.txt")) + glob.glob(os.path.join(corpus, "*.gz")))


def compare_with_reference(args, files, mode_flags):
    csv = os.path.join(args.work, "words.csv")
    output = os.path.join(args.work, "tokenize.h5")
    limit = ["--vocab-limit", str(args.vocab_limit)] if args.vocab_limit else []
    run = juggle(args, ["tokenize", "--threads", str(args.threads), "--chunk-size", args.chunk, "--top", "15",
                        "--csv", csv, "--output", output, *limit, *mode_flags, *files])
    expect(run.returncode == 0, f"exit status {run.returncode}")
    everything = parse_csv(reference_csv(files, mode_flags))
    expected = everything[: args.vocab_limit] if args.vocab_limit else everything
    got = parse_csv(open(csv, encoding="utf-8", errors="surrogateescape").read())
    if got != expected:
        diff = [(g, e) for g, e in zip(got, expected) if g != e][:5]
        fail(f"word list differs from the reference ({len(got)} vs {len(expected)} words), first: {diff}")
    top = [(m[2], int(m[1])) for m in re.finditer(r"^(\d+) (\S+)$", run.stdout, re.M)]
    # The top list is of every word, whatever --vocab-limit stores.
    expect(top == everything[:15], "printed top words differ from the reference")
    check = re.search(r"^check: words=(\d+) distinct=(\d+) bytes=(\d+) vocab_hash=([0-9a-f]+) failed=0$",
                      run.stdout, re.M)
    expect(check is not None, "no check line")
    words = sum(c for _, c in everything)
    expect(int(check[1]) == words and int(check[2]) == len(everything), "check line totals")
    text_bytes = sum(len(gzip.open(f).read()) if open(f, "rb").read(2) == b"\x1f\x8b" else os.path.getsize(f)
                     for f in files)
    expect(int(check[3]) == text_bytes, "bytes of text")
    with h5py.File(output, "r") as h5:
        expect(documented_words(h5) == [w for w, _ in expected], "results words, read as the docs say")
        expect(show_results.vocabulary_words(h5) == [w for w, _ in expected], "results words, by show_results.py")
        check_compressed(h5, output, csv, limited=bool(args.vocab_limit))
        expect(list(h5["tokenize/counts"][:]) == [c for _, c in expected], "results counts")
        t = h5["tokenize/total"].attrs
        expect(t["words"] == words and t["distinct_words"] == len(everything), "results totals")
        expect(t["stored_words"] == len(expected), "stored_words")
        expect(h5.attrs["mpi_ranks"] == max(args.ranks, 1) and h5.attrs["omp_threads"] == args.threads, "layout")
        f = h5["tokenize/files"]
        expect(list(f["path"].asstr()[:]) == files, "results file list")
        expect(int(f["words"][:].sum()) == words, "per-file words add up")
        stages = list(h5["stages"].asstr()[:])
        names = [stages[s] for s in h5["events/stage"][:]]
        expect(names.count("tokenize") == max(args.ranks, 1), "one tokenize event per rank")
        expect(names.count("tokenize_piece") >= len(files), "piece events")
    print(f"ok: {len(files)} files, {words} words, {len(everything)} distinct, {len(expected)} stored, ranks={args.ranks} "
          f"threads={args.threads} chunk={args.chunk} flags={mode_flags}")


def documented_words(h5):
    """The vocabulary's words, read by the snippet of docs/results-format.md."""
    with open(os.path.join(HERE, "..", "..", "docs", "results-format.md"), encoding="utf-8") as f:
        section = f.read().split("## `/tokenize/{word_prefix", 1)[1]
    scope = {"h5": h5}
    exec(section.split("```python\n", 1)[1].split("```", 1)[0], scope)
    return scope["words"]


def check_compressed(h5, output, csv, limited):
    """Compressed columns; the file, less its event log (which grows with the
    pieces: 1 KiB ranges make thousands), no larger than the CSV gzip'd."""
    if not limited:  # the 100 words of --vocab-limit 100 are too few to compress
        for column in ("tokenize/word_prefix", "tokenize/word_suffixes", "tokenize/counts"):
            expect(h5[column].compression == "gzip", f"{column} is not deflate-compressed")
        expect(h5["tokenize/counts"].shuffle, "counts are not byte-shuffled")
    with open(csv, "rb") as f:
        gzipped = len(gzip.compress(f.read(), compresslevel=6))
    events = sum(column.id.get_storage_size() for column in h5["events"].values())
    size = os.path.getsize(output)
    print(f"results file {size} bytes ({events} of events), the CSV gzip -6 {gzipped} bytes")
    expect(limited or size - events <= gzipped,
           f"results file of {size} bytes, {events} of them events: larger than the CSV gzip'd ({gzipped})")
    if shutil.which("h5dump"):
        dump = subprocess.run(["h5dump", "-p", "-d", "/tokenize/counts", "-c", "1", output], capture_output=True,
                              text=True, timeout=TIMEOUT)
        expect(dump.returncode == 0 and ("DEFLATE" in dump.stdout or limited) and
               f"(0): {h5['tokenize/counts'][0]}" in dump.stdout, f"h5dump: {dump.stdout[-300:]}{dump.stderr}")


def mode_reference(args):
    files = inputs_of(args.corpus)
    expect(files, "empty corpus")
    flags = [f for f in args.flags.split(",") if f]
    compare_with_reference(args, files, flags)


def mode_books(args):
    files = sorted(glob.glob(os.path.join(args.corpus, "*.txt")))
    if not files:
        print(f"skip: no books in {args.corpus}")
        sys.exit(77)
    compare_with_reference(args, files, [])


def mode_errors(args):
    d = os.path.join(args.work, "inputs")
    os.makedirs(d)
    good = inputs_of(args.corpus)[:3]
    for f in good:
        shutil.copy(f, d)
    with open(os.path.join(d, "bad-corrupt.gz"), "wb") as out:
        blob = gzip.compress(b"corrupt words never counted\n" * 1000)
        out.write(blob[:-8] + bytes([blob[-8] ^ 0xFF]) + blob[-7:])
    with open(os.path.join(d, "binary.txt"), "wb") as out:
        out.write(bytes(range(256)) * 64)
    with open(os.path.join(d, "long-line.txt"), "wb") as out:
        out.write(b"word " * 400000)  # 2 MB, no newline
    open(os.path.join(d, "empty.txt"), "wb").close()
    missing = os.path.join(args.work, "missing.txt")
    csv = os.path.join(args.work, "words.csv")
    run = juggle(args, ["tokenize", "--chunk-size", "64KiB", "--csv", csv, "--no-output", missing, d])
    expect(run.returncode == 1, f"exit status {run.returncode}, expected 1")
    errors = [line for line in run.stderr.splitlines() if line.startswith("juggle:")]
    expect(errors == [f"juggle: {missing}: No such file or directory",
                      f"juggle: {d}/bad-corrupt.gz: invalid compressed data--crc error"], f"stderr: {errors}")
    files = inputs_of(d)
    files.remove(os.path.join(d, "bad-corrupt.gz"))
    expected = parse_csv(reference_csv(files))
    got = parse_csv(open(csv, encoding="utf-8", errors="surrogateescape").read())
    expect(got == expected, "good files' words differ from the reference (or the corrupt file's words leaked in)")
    expect(dict(got).get("word") >= 400000, "the long line's words")
    invalid = re.search(r"(\d[\d,]*) invalid bytes", run.stdout)
    expect(invalid is not None and int(invalid[1].replace(",", "")) == 128 * 64, "invalid bytes of the binary file")
    print("ok: bad inputs")


def mode_member(args):
    kinds_dir, damaged_dir, _ = member_folders(args.work, seed=7)

    def tokenize(folder, label, extra):
        csv = os.path.join(args.work, f"{label}.csv")
        output = os.path.join(args.work, f"{label}.h5")
        run = juggle(args, ["tokenize", "--threads", str(args.threads), "--include", "*", "--top", "5", "--csv", csv,
                            "--output", output, "--force", *extra, folder])
        with h5py.File(output, "r") as h5:
            f = h5["tokenize/files"]
            files = [tuple(row) for row in zip(f["path"].asstr()[:], f["status"].asstr()[:], f["words"][:],
                                               f["bytes"][:], f["bytes_in"][:], f["invalid_bytes"][:])]
        verdicts = sorted(line for line in run.stderr.splitlines() if line.startswith("juggle:"))
        check = [line for line in run.stdout.splitlines() if line.startswith("check:")]
        return run.returncode, check, verdicts, open(csv, "rb").read(), files

    # One member large enough to be decoded by one worker that hands blocks
    # of its text to the others (2 or more threads), and damaged copies.
    large_dir = os.path.join(args.work, "large")
    os.makedirs(large_dir, exist_ok=True)
    import random
    rng = random.Random(3)
    prose = open(os.path.join(kinds_dir, "gzip-6.gz"), "rb").read()
    text = gzip.decompress(prose)
    b64 = base64.encodebytes(rng.randbytes(4 << 20))  # compresses poorly: the file passes 4 MiB
    large = gzip.compress(text + b64 + text, 6)
    with open(os.path.join(large_dir, "large.gz"), "wb") as f:
        f.write(large)
    with open(os.path.join(large_dir, "large-cut.gz"), "wb") as f:
        f.write(large[: len(large) * 3 // 4])
    with open(os.path.join(large_dir, "large-changed.gz"), "wb") as f:
        at = len(large) * 2 // 3
        f.write(large[:at] + bytes([large[at] ^ 0x21]) + large[at + 1:])
    uncut = tokenize(large_dir, "large-uncut", ["--split", "never"])
    helped = tokenize(large_dir, "large-auto", [])
    for what, a, b in zip(("exit status", "check line", "verdicts", "word list", "per-file table"), helped, uncut):
        expect(a == b, f"large files: {what} differs from the uncut run: {a!r:.300} vs {b!r:.300}")
    expect(uncut[0] == 1, f"large files: exit {uncut[0]}")
    with h5py.File(os.path.join(args.work, "large-auto.h5"), "r") as h5:  # how many depends on timing
        stages = list(h5["stages"].asstr()[:])
        pieces = sum(1 for s in h5["events/stage"][:] if stages[s] == "tokenize_piece")
    print(f"large files: {pieces} piece events for 3 files (text blocks read by other workers among them)")

    for folder, status in ((kinds_dir, 0), (damaged_dir, 1)):
        name = os.path.basename(folder)
        uncut = tokenize(folder, f"{name}-uncut", ["--split", "never"])
        expect(uncut[0] == status, f"{name} uncut: exit {uncut[0]}, expected {status}")
        for size in ("16KiB", "64MiB"):
            cut = tokenize(folder, f"{name}-{size}", ["--split", "always", "--split-bytes", size])
            for what, a, b in zip(("exit status", "check line", "verdicts", "word list", "per-file table"), cut, uncut):
                expect(a == b, f"{name} in {size} chunks: {what} differs from the uncut run: {a!r:.300} vs {b!r:.300}")
        if folder == kinds_dir:
            with h5py.File(os.path.join(args.work, f"{name}-16KiB.h5"), "r") as h5:
                pieces = dict(zip(h5["tokenize/files/path"].asstr()[:], h5["tokenize/files/pieces"][:]))
            segmented = sorted(os.path.basename(p) for p, n in pieces.items() if n > 1)
            expect("gzip-6.gz" in segmented and "random.gz" in segmented, f"files read in segments: {segmented}")
    print(f"ok: member kinds and damaged members, ranks={max(args.ranks, 1)} threads={args.threads}")


# Runs the command after it and prints its peak resident memory on stderr,
# with the MPI rank it ran as (one per rank under mpiexec).
PEAK_RSS = """import os, resource, subprocess, sys
status = subprocess.run(sys.argv[1:]).returncode
rank = os.environ.get("OMPI_COMM_WORLD_RANK", "0")
print(f"peak-rss rank {rank} kb {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(status)
"""


def mode_vocabulary(args):
    import random
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    tokens = []
    for i in range(args.words):
        stem = ""
        n = i
        for _ in range(5):  # five letters name the index: every word is distinct
            stem += letters[n % 26]
            n //= 26
        word = stem + letters[n % 26] + "".join(rng.choice(letters) for _ in range(rng.randrange(0, 6)))
        tokens += [word] * rng.randrange(1, 4)
    rng.shuffle(tokens)
    corpus = os.path.join(args.work, "corpus")
    os.makedirs(corpus)
    parts = 64  # many more than ranks: each rank reads about as many words
    for p in range(parts):
        mine = tokens[p::parts]
        with open(os.path.join(corpus, f"part{p}.txt"), "w") as f:
            f.write("\n".join(" ".join(mine[i:i + 10]) for i in range(0, len(mine), 10)) + "\n")
    wrapper = os.path.join(args.work, "peak_rss.py")
    with open(wrapper, "w") as f:
        f.write(PEAK_RSS)

    def tokenize(ranks):
        csv = os.path.join(args.work, f"r{ranks}.csv")
        output = os.path.join(args.work, f"r{ranks}.h5")
        cmd = [args.mpiexec, "-n", str(ranks), "--oversubscribe", sys.executable, wrapper, args.juggle, "tokenize",
               "--threads", "1", "--force", "--csv", csv, "--output", output, corpus]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
        expect(run.returncode == 0, f"{ranks} ranks: exit {run.returncode}\n{run.stderr}")
        rss = {int(r): int(kb) for r, kb in re.findall(r"^peak-rss rank (\d+) kb (\d+)$", run.stderr, re.M)}
        expect(sorted(rss) == list(range(ranks)), f"{ranks} ranks: peak memory lines {rss}")
        check = [line for line in run.stdout.splitlines() if line.startswith("check:")]
        with h5py.File(output, "r") as h5:
            datasets = {k: h5["tokenize"][k][:].tobytes() for k in ("counts", "word_prefix", "word_suffixes")}
            table = {k: list(h5["ranks"][k][:]) for k in ("rank", "peak_rss_kb", "collectives", "collective_bytes")}
        # /ranks: juggle's own peak memory (taken before the results file is
        # written) is at most what the wrapper saw at exit; every rank made
        # the same collective calls; with other ranks, bytes went to them.
        expect(table["rank"] == list(range(ranks)), f"/ranks rows {table['rank']}")
        for r in range(ranks):
            expect(0 < table["peak_rss_kb"][r] <= rss[r],
                   f"rank {r}: /ranks peak {table['peak_rss_kb'][r]} kB, the process's {rss[r]} kB")
        expect(len(set(table["collectives"])) == 1, f"collective calls differ by rank: {table['collectives']}")
        expect(ranks == 1 or min(table["collective_bytes"]) > 0, f"collective bytes {table['collective_bytes']}")
        return rss, check, open(csv, "rb").read(), datasets

    one = tokenize(1)
    expect(f"distinct={args.words} " in one[1][0], f"check line {one[1]}")
    # Which rank reads which file is decided as they ask for work, so one
    # rank (rank 0 as often as any) may read more and peak some 30 MB
    # higher. A gather to rank 0 would raise it on every run: rank 0 must
    # stay within 1.3 times the others' mean in at least one of three runs.
    ratios = []
    for attempt in range(3):
        many = tokenize(args.ranks)
        for what, a, b in zip(("check line", "CSV", "/tokenize datasets"), one[1:], many[1:]):
            expect(a == b, f"{args.ranks} ranks: {what} differs from 1 rank")
        rss = many[0]
        others = sum(rss[r] for r in rss if r != 0) / (len(rss) - 1)
        ratios.append(rss[0] / others)
        print(f"peak memory: 1 rank {one[0][0]} kB; {args.ranks} ranks: rank 0 {rss[0]} kB, "
              f"others {sorted(kb for r, kb in rss.items() if r != 0)} kB, rank 0 / their mean = {ratios[-1]:.2f}")
        if ratios[-1] <= 1.3 or "ASAN_OPTIONS" in os.environ:
            break
    # Under AddressSanitizer (make test's second half) a process's memory is
    # its allocator's quarantine and shadow as much as its own: measured, not judged.
    if "ASAN_OPTIONS" not in os.environ:
        expect(min(ratios) <= 1.3,
               f"rank 0 holds {', '.join(f'{r:.2f}' for r in ratios)} times the others' mean memory (at most 1.3)")
    print(f"ok: {args.words} distinct words on {args.ranks} ranks equal 1 rank's")


def main():
    parse_args({"reference": mode_reference, "books": mode_books, "errors": mode_errors, "member": mode_member,
                "vocabulary": mode_vocabulary},
               lambda p: (p.add_argument("--chunk", default="64KiB"),
                          p.add_argument("--flags", default="", help="comma-separated flags, e.g. --ascii"),
                          p.add_argument("--vocab-limit", type=int, default=0),
                          p.add_argument("--words", type=int, default=1000000)))


if __name__ == "__main__":
    main()
