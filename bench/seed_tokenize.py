"""The teaching program's tokenizing, as a Python user writes it:
collections.Counter(re.findall(r"\\w+", text.lower())) per file, one file
after another (counter) or in a multiprocessing.Pool whose Counters are
summed (pool). Prints words and distinct words."""
import collections
import gzip
import multiprocessing
import os
import re
import sys

WORD = re.compile(r"\w+")


def words_of(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        return collections.Counter(WORD.findall(f.read().lower()))


def main():
    mode, folder = sys.argv[1], sys.argv[2]
    paths = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith((".txt", ".gz")))
    total = collections.Counter()
    if mode == "pool":
        with multiprocessing.Pool() as pool:
            for c in pool.imap(words_of, paths):
                total.update(c)
    else:
        for p in paths:
            total.update(words_of(p))
    print(sum(total.values()), len(total))


if __name__ == "__main__":
    main()
