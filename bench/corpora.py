"""The benchmark's inputs, made with `juggle gen` (and pigz/gzip/bgzip for
the single-member and BGZF files; here for data of other kinds), sized by the scale and kept between runs in the
work folder: a stamp file records what was made, so a changed scale or
juggle makes them again. One input is found instead of made: the gzip files
a Debian system keeps under /usr/share/man and /usr/share/doc."""
import base64
import csv
import json
import os
import random
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
    tool = ["pigz", "-6", "-c"] if shutil.which("pigz") else ["gzip", "-6", "-c"]
    return _large_text_as(juggle, work, scale, log, "count-large", tool)


def _large_text_as(juggle, work, scale, log, name, tool):
    """count-large's text (1 GiB at scale 1) compressed by `tool` (stdin to
    stdout) into NAME/large.gz. Returns the folder, lines and text bytes."""
    source = os.path.join(work, "count-large-text")
    lines, text = _gen(juggle, source, 1, max(MIB, int(1024 * MIB * scale)), 12, "txt", log)
    folder = os.path.join(work, name)
    spec = {"from": os.path.getmtime(os.path.join(source, "STAMP.json"))}
    if not _fresh(folder, spec):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
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


# Kinds of data a gzip member may hold, by how the unknown window before a
# split point lives on (issue 17): base64 of random bytes forgets it within
# ~60 KiB; FASTQ-like reads and JSON lines copy from it to the end.
MEMBER_KINDS = ("base64", "fastq", "jsonl")


def _base64_text(rng, size):
    raw = rng.randbytes(size * 3 // 4)
    return base64.encodebytes(raw)[:size]


def _fastq_text(rng, size):
    """Reads of 150 bases: a header with a running tile/x/y, bases and
    binned Illumina qualities (F most of the time)."""
    bases = bytes.maketrans(bytes(range(256)), bytes(b"ACGT"[b % 4] for b in range(256)))
    quals = bytes.maketrans(bytes(range(256)), bytes(b"FFFFFFFFFFFF:::,#"[b % 17] for b in range(256)))
    out, total, n = [], 0, 0
    while total < size:
        seq = rng.randbytes(150 * 1000).translate(bases)
        qual = rng.randbytes(150 * 1000).translate(quals)
        for i in range(1000):
            n += 1
            rec = (b"@SIM:7:FC706VJ:2:%d:%d:%d 1:N:0:ATCACG\n" % (1101 + n // 40000, n % 20000, (n * 7919) % 30000) +
                   seq[150 * i:150 * i + 150] + b"\n+\n" + qual[150 * i:150 * i + 150] + b"\n")
            out.append(rec)
            total += len(rec)
    return b"".join(out)[:size]


def _jsonl_text(rng, size):
    """Log events as JSON lines: the keys repeat, the values vary."""
    levels, paths = ("info", "info", "info", "warn", "error", "debug"), ("items", "users", "orders", "search")
    out, total, n = [], 0, 0
    while total < size:
        n += 1
        line = (f'{{"ts":"2026-11-{1 + n // 4000000 % 28:02d}T{n // 360000 % 24:02d}:{n // 6000 % 60:02d}:'
                f'{n // 100 % 60:02d}.{n % 1000:03d}Z","level":"{rng.choice(levels)}","user":{rng.randrange(100000)},'
                f'"session":"{rng.getrandbits(32):08x}","path":"/api/v1/{rng.choice(paths)}/{rng.randrange(10**6)}",'
                f'"status":{rng.choice((200, 200, 200, 201, 304, 404, 500))},"ms":{rng.random() * 250:.1f},'
                f'"bytes":{rng.randrange(1 << 16)}}}\n').encode()
        out.append(line)
        total += len(line)
    return b"".join(out)[:size]


def single_members(work, scale, log):
    """One gzip member (`gzip -6`) of each of MEMBER_KINDS, 256 MiB of data
    each at scale 1, in a folder of its own. Returns [(kind, folder, lines,
    data bytes)]."""
    size = max(MIB, int(256 * MIB * scale))
    made = []
    for i, kind in enumerate(MEMBER_KINDS):
        folder = os.path.join(work, f"member-{kind}")
        spec = {"kind": kind, "size": size, "seed": 20 + i, "tool": "gzip -6"}
        if not _fresh(folder, spec):
            log(f"making {folder}/{kind}.gz: {size // MIB} MiB with gzip -6")
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            text = {"base64": _base64_text, "fastq": _fastq_text, "jsonl": _jsonl_text}[kind](
                random.Random(20 + i), size)
            with open(os.path.join(folder, f"{kind}.gz"), "wb") as dst:
                subprocess.run(["gzip", "-6", "-c"], input=text, stdout=dst, check=True)
            spec["lines"] = text.count(b"\n")
            _stamp(folder, spec)
        with open(os.path.join(folder, "STAMP.json")) as f:
            made.append((kind, folder, json.load(f)["lines"], size))
    return made


def prose_member(juggle, work, scale, log):
    """The tokenize corpus's text (256 MiB at scale 1) as one `gzip -6`
    member. Returns its folder, its path and the text bytes."""
    source, text = tokenize_text(juggle, work, scale, log)
    folder = os.path.join(work, "member-prose")
    path = os.path.join(folder, "prose.gz")
    spec = {"from": os.path.getmtime(os.path.join(source, "STAMP.json"))}
    if not _fresh(folder, spec):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        log(f"making {path} with gzip -6")
        with open(path, "wb") as dst:
            gzip = subprocess.Popen(["gzip", "-6", "-c"], stdin=subprocess.PIPE, stdout=dst)
            for name in _named(source, ".txt"):
                with open(os.path.join(source, name), "rb") as src:
                    shutil.copyfileobj(src, gzip.stdin)
            gzip.stdin.close()
            if gzip.wait() != 0:
                raise RuntimeError(f"gzip failed making {path}")
        _stamp(folder, spec)
    return folder, path, text


def bgzf(juggle, work, scale, log):
    """count-large's text as `bgzip` writes it (BGZF: members of at most
    64 KiB of data each), or None without bgzip (Debian's tabix)."""
    if shutil.which("bgzip") is None:
        return None
    return _large_text_as(juggle, work, scale, log, "member-bgzf", ["bgzip", "-c", "-@", str(os.cpu_count() or 1)])


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
