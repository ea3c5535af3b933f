"""The benchmark's inputs, made with `juggle gen` (and pigz/gzip for the one
large single-member file), sized by the scale and kept between runs in the
work folder: a stamp file records what was made, so a changed scale or
juggle makes them again. One input is found instead of made: the gzip files
a Debian system keeps under /usr/share/man and /usr/share/doc."""
import csv
import json
import os
import shutil
import subprocess

MIB = 1 << 20


def _manifest(folder):
    with open(os.path.join(folder, "MANIFEST.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return sum(int(r["lines"]) for r in rows), sum(int(r["text_bytes"]) for r in rows)


def _fresh(folder, spec):
    stamp = os.path.join(folder, "STAMP.json")
    try:
        with open(stamp) as f:
            return json.load(f) == spec
    except (OSError, ValueError):
        return False


def _stamp(folder, spec):
    with open(os.path.join(folder, "STAMP.json"), "w") as f:
        json.dump(spec, f)


def _gen(juggle, folder, files, size, seed, fmt, log):
    spec = {"files": files, "size": size, "seed": seed, "format": fmt}
    if not _fresh(folder, spec):
        log(f"making {folder}: {files} files, {size // MIB} MiB ({fmt})")
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([juggle, "gen", "--out", folder, "--files", str(files), "--size", str(size), "--seed",
                        str(seed), "--format", fmt], check=True, stdout=subprocess.DEVNULL)
        _stamp(folder, spec)
    return _manifest(folder)


def count_small(juggle, work, scale, log):
    """Thousands of gzip files of tens of KB (8000 files, 320 MiB at scale 1)."""
    folder = os.path.join(work, "count-small")
    lines, text = _gen(juggle, folder, max(20, int(8000 * scale)), max(MIB, int(320 * MIB * scale)), 11, "gz", log)
    return folder, lines, text


def count_large(juggle, work, scale, log):
    """One single-member gzip file (1 GiB of text at scale 1), as pigz or
    gzip -6 writes it: juggle gen's own files may hold several members."""
    source = os.path.join(work, "count-large-text")
    lines, text = _gen(juggle, source, 1, max(MIB, int(1024 * MIB * scale)), 12, "txt", log)
    folder = os.path.join(work, "count-large")
    spec = {"from": os.path.getmtime(os.path.join(source, "STAMP.json"))}
    if not _fresh(folder, spec):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        tool = ["pigz", "-6", "-c"] if shutil.which("pigz") else ["gzip", "-6", "-c"]
        log(f"making {folder}/large.gz with {tool[0]}")
        with open(os.path.join(source, "part-00000.txt"), "rb") as src, \
                open(os.path.join(folder, "large.gz"), "wb") as dst:
            subprocess.run(tool, stdin=src, stdout=dst, check=True)
        _stamp(folder, spec)
    return folder, lines, text


def tokenize_text(juggle, work, scale, log):
    """Plain text, 256 MiB in 64 files at scale 1."""
    folder = os.path.join(work, "tokenize")
    lines, text = _gen(juggle, folder, 64, max(MIB, int(256 * MIB * scale)), 13, "txt", log)
    return folder, text


def pipeline_gz(juggle, work, scale, log):
    """Gzip files of ~5 MiB of text (~2 MB compressed) each, 64 and 320 MiB
    of text at scale 1: the downloads of the pipeline case and the local
    corpus of decode-once."""
    folder = os.path.join(work, "pipeline-gz")
    files = max(16, int(64 * scale))
    lines, text = _gen(juggle, folder, files, max(MIB, int(320 * MIB * scale)), 14, "gz", log)
    return folder, lines, text, _named(folder, ".gz")


def skewed(juggle, work, scale, log):
    """Mixed costs per byte, in two folders: a few large plain text files (3,
    192 MiB at scale 1, of unequal sizes, tokenized in 32 MiB byte ranges)
    and many small gzip files (4,000, 64 MiB of text, each decompressed,
    counted and tokenized). Returns the gzip folder, the text folder, the
    gzip files' lines and the text bytes of both."""
    big, small = os.path.join(work, "balance-txt"), os.path.join(work, "balance-gz")
    _, big_text = _gen(juggle, big, 3, max(MIB, int(192 * MIB * scale)), 15, "txt", log)
    lines, small_text = _gen(juggle, small, max(20, int(4000 * scale)), max(MIB, int(64 * MIB * scale)), 16, "gz",
                             log)
    return small, big, lines, big_text + small_text


SYSTEM_GZIP_DIRS = ("/usr/share/man", "/usr/share/doc")
SYSTEM_GZIP_MIN = 1000  # fewer, and the case would not be "many small files"


def system_gzip(work, scale, log):
    """The gzip files under SYSTEM_GZIP_DIRS, as `find DIRS -name '*.gz'`
    lists them (26,434 on the Debian of issue 16). At scale 1 and above:
    the directories themselves, so the walk is the real one. Below: a
    folder of symbolic links to every k-th of them (k = 1/scale; juggle, find
    and igzip all follow a link to a file), so `make test`'s tiny run takes
    seconds. Returns the roots and how many gzip files are under them, or
    (None, how many there are) when fewer than SYSTEM_GZIP_MIN."""
    roots = [d for d in SYSTEM_GZIP_DIRS if os.path.isdir(d)]
    paths = _gz_under(roots)
    if len(paths) < SYSTEM_GZIP_MIN:
        return None, len(paths)
    if scale >= 1:
        return roots, len(paths)
    every = max(1, round(1 / scale))
    sample = paths[::every]
    folder = os.path.join(work, "many-small-files")
    spec = {"every": every, "of": len(paths)}
    if not _fresh(folder, spec):
        log(f"making {folder}: links to {len(sample)} of the {len(paths)} gzip files under {', '.join(roots)}")
        shutil.rmtree(folder, ignore_errors=True)
        for path in sample:
            link = os.path.join(folder, path.lstrip("/"))
            os.makedirs(os.path.dirname(link), exist_ok=True)
            os.symlink(path, link)
        _stamp(folder, spec)
    return [folder], len(sample)


def _gz_under(roots):
    """Paths named *.gz below `roots`, not following links to directories
    (as find does without -L), sorted."""
    found = []
    for root in roots:
        for folder, _, names in os.walk(root):
            found += [os.path.join(folder, n) for n in names if n.endswith(".gz")]
    return sorted(found)


def _named(folder, suffix):
    return sorted(n for n in os.listdir(folder) if n.endswith(suffix))


def fetch_files(work, name, count, size, log):
    """`count` files of `size` random bytes (incompressible, as downloads are)."""
    folder = os.path.join(work, name)
    spec = {"count": count, "size": size}
    if not _fresh(folder, spec):
        log(f"making {folder}: {count} x {size} B")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for i in range(count):
            with open(os.path.join(folder, f"file-{i:04d}.bin"), "wb") as f:
                f.write(os.urandom(size))
        _stamp(folder, spec)
    return folder, _named(folder, ".bin")


def warm(folder):
    """Reads every file of `folder` once, so the first contender of the first
    round does not pay for the disk while the others read the page cache (an
    earlier case's inputs may have pushed these out)."""
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                while f.read(1 << 20):
                    pass
