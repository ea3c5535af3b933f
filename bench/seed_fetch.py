"""The teaching program's threaded download, as a Python user writes it: a
ThreadPoolExecutor of 20 urllib workers, each URL saved under its last path
segment. Prints the files and bytes saved."""
import concurrent.futures
import os
import sys
import urllib.request


def fetch(url, out):
    path = os.path.join(out, url.rsplit("/", 1)[-1])
    with urllib.request.urlopen(url, timeout=60) as r, open(path, "wb") as f:
        data = r.read()
        f.write(data)
    return len(data)


def main():
    urls_file, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(urls_file) as f:
        urls = [line.strip() for line in f if line.strip()]
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        sizes = list(pool.map(lambda u: fetch(u, out), urls))
    print(len(sizes), sum(sizes))


if __name__ == "__main__":
    main()
