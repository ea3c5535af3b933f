"""The teaching program's line counting, as a Python user writes it: every
.gz file of a folder opened with the gzip module and its lines counted,
one file after another (seq) or one file per worker of a
multiprocessing.Pool (pool). Prints the total."""
import gzip
import multiprocessing
import os
import sys


def count_lines(path):
    # Lines as wc -l counts them: a last line without '\n' is not one.
    with gzip.open(path, "rb") as f:
        return sum(line.endswith(b"\n") for line in f)


def main():
    mode, folder = sys.argv[1], sys.argv[2]
    paths = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".gz"))
    if mode == "pool":
        with multiprocessing.Pool() as pool:
            total = sum(pool.map(count_lines, paths, chunksize=max(1, len(paths) // (8 * os.cpu_count()))))
    else:
        total = sum(count_lines(p) for p in paths)
    print(total)


if __name__ == "__main__":
    main()
