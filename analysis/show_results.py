#!/usr/bin/env python3
"""Prints what juggle results files hold, read with h5py (schema juggle-results v1 to v4).

Usage: python3 analysis/show_results.py results/count-*.h5 results/tokenize-*.h5
Needs h5py (Debian: python3-h5py, for /usr/bin/python3).
"""
import sys

import h5py


def show(path):
    with h5py.File(path, "r") as h5:
        a = h5.attrs
        if a.get("schema") != "juggle-results":
            print(f"{path}: not a juggle results file", file=sys.stderr)
            return False
        stages = h5["stages"].asstr()[:]
        events = len(h5["events/stage"])
        print(f"{path}: {a['subcommand']} by juggle {a['tool_version']} ({a['git_sha']}), {a['created_utc']}, "
              f"{a['mpi_ranks']} ranks x {a['omp_threads']} threads on {a['hostname']}, {events} events "
              f"over {len(stages)} stages")
        for stage in ("fetch", "resolve", "count", "tokenize"):
            group = f"{stage}/total"
            if group in h5:
                totals = ", ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}"
                                   for k, v in h5[group].attrs.items())
                print(f"  {group}: {totals}")
        words = vocabulary_words(h5)
        if words:
            counts = h5["tokenize/counts"][:5]
            print("  most frequent: " + ", ".join(f"{w} {c}" for w, c in zip(words, counts)))
    return True


def vocabulary_words(h5):
    """The vocabulary's words in the order of tokenize/counts ([] without one)."""
    if "tokenize/word_prefix" in h5:  # schema 4: front-coded (docs/results-format.md)
        prefix = h5["tokenize/word_prefix"][:]
        suffixes = h5["tokenize/word_suffixes"][:].tobytes().split(b"\n")[:-1]
        words, word = [], b""
        for n, rest in zip(prefix, suffixes):
            word = word[:n] + rest
            words.append(word.decode("utf-8"))
        return words
    if "tokenize/words" in h5:  # schemas 1 to 3: a string per row
        return list(h5["tokenize/words"].asstr()[:])
    return []


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ok = True
    for path in sys.argv[1:]:
        try:
            ok = show(path) and ok
        except OSError as e:
            print(f"{path}: {e}", file=sys.stderr)
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
