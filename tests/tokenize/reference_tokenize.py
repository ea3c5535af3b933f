#!/usr/bin/env python3
"""A slow, independent implementation of juggle's word rule, for tests.

It shares no code with juggle: Unicode categories and case mappings come from
Python's unicodedata and str methods, invalid UTF-8 from Python's decoder
(surrogateescape marks each byte that starts no valid sequence).

Rule: a word is a maximal run of letters (L*), decimal digits (Nd) and
combining marks (M*) inside a word; an apostrophe (U+0027, U+2019) between a
word character and a letter or digit belongs to the word, stored as U+0027;
everything else, invalid bytes included, separates words. Words are folded
with simple case folding unless --no-fold. --ascii deletes bytes >= 0x80 first.

Usage: reference_tokenize.py [--no-fold] [--ascii] FILE... > word,count CSV
(report order: count descending, then the word's UTF-8 bytes).
"""
import collections
import gzip
import sys
import unicodedata


def simple_fold(c):
    folded = c.casefold()
    if len(folded) == 1:
        return folded
    if c == "\u0130":  # no simple folding exists for it
        return c
    lower = c.lower()
    return lower if len(lower) == 1 else c


def kind(c):
    if c in "'\u2019":
        return "apostrophe"
    if 0xDC80 <= ord(c) <= 0xDCFF:  # an undecodable byte (surrogateescape)
        return "invalid"
    category = unicodedata.category(c)
    if category[0] == "L":
        return "letter"
    if category == "Nd":
        return "digit"
    if category[0] == "M":
        return "mark"
    return "separator"


def tokenize(text, fold, counts):
    invalid = 0
    word = []
    n = len(text)
    kinds = [kind(c) for c in text]
    for i, c in enumerate(text):
        k = kinds[i]
        if k == "letter":
            word.append(simple_fold(c) if fold else c)
        elif k == "digit":
            word.append(c)
        elif k == "mark" and word:
            word.append(c)
        elif k == "apostrophe" and word and i + 1 < n and kinds[i + 1] in ("letter", "digit"):
            word.append("'")
        else:
            if k == "invalid":
                invalid += 1
            if word:
                counts["".join(word)] += 1
                word = []
    if word:
        counts["".join(word)] += 1
    return invalid


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def main():
    args = sys.argv[1:]
    fold = "--no-fold" not in args
    ascii_only = "--ascii" in args
    paths = [a for a in args if not a.startswith("--")]
    counts = collections.Counter()
    invalid = 0
    for path in paths:
        data = read(path)
        if ascii_only:
            text = bytes(b for b in data if b < 0x80).decode("ascii")
            text = "".join(c if c.isascii() and (c.isalnum() or c == "'") else " " for c in text)
            text = text.lower() if fold else text
            invalid += tokenize(text, False, counts)
        else:
            invalid += tokenize(data.decode("utf-8", "surrogateescape"), fold, counts)
    out = sys.stdout
    out.write("word,count\n")
    for word, count in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0].encode("utf-8"))):
        out.write(f"{word},{count}\n")
    sys.stderr.write(f"words={sum(counts.values())} distinct={len(counts)} invalid_bytes={invalid}\n")


if __name__ == "__main__":
    main()
