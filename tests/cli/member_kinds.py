"""One gzip file per kind of stream, for the tests that cut one member into
deflate chunks (check_count.py and check_tokenize.py, mode member): every
zlib level and strategy, igzip, pigz (-i too) and bgzip where installed,
members followed by other members, garbage or zeros, and an empty one;
and damaged copies of one."""
import os
import random
import shutil
import subprocess
import zlib

from harness import TIMEOUT


def member_kinds(work, seed=17):
    """(name, path) of one file per kind of gzip stream."""
    import random
    rng = random.Random(seed)
    words = [("".join(rng.choice("etaoinshrdlucmfwyp") for _ in range(rng.randint(1, 9)))).encode()
             for _ in range(3000)]
    prose = b"".join(b" ".join(rng.choice(words) for _ in range(rng.randint(0, 14))) + b"\n"
                     for _ in range(40000))
    randoms = bytes(rng.getrandbits(8) for _ in range(300000))
    # Long copies of copies, so that markers chain through whole chunks.
    repeated = b"".join(b"%d the same paragraph, again and again; back-references chain through chunks.\n" %
                        (i * 7919 % 100003) for i in range(60000))

    def raw_gzip(data, level=6, strategy=zlib.Z_DEFAULT_STRATEGY):
        c = zlib.compressobj(level, zlib.DEFLATED, 31, 8, strategy)
        return c.compress(data) + c.flush()

    def tool(cmd, data):
        if shutil.which(cmd[0]) is None:
            return None
        return subprocess.run(cmd, input=data, capture_output=True, timeout=TIMEOUT, check=True).stdout

    kinds = [("gzip-1", raw_gzip(prose, 1)), ("gzip-6", raw_gzip(prose, 6)), ("gzip-9", raw_gzip(prose[:-1], 9)),
             ("stored", raw_gzip(prose[:400000], 0)), ("fixed", raw_gzip(prose[:600000], 6, zlib.Z_FIXED)),
             ("random", raw_gzip(randoms)), ("repetitive", raw_gzip(repeated)), ("empty", raw_gzip(b"")),
             ("two-members", raw_gzip(prose[:300000]) + raw_gzip(prose[300000:])),
             ("garbage-after", raw_gzip(prose) + b"not gzip"), ("zeros-after", raw_gzip(prose) + bytes(100))]
    for level in range(4):
        kinds.append((f"igzip-{level}", tool(["igzip", f"-{level}", "-c"], prose)))
    kinds += [("pigz", tool(["pigz", "-6", "-c"], prose)), ("pigz-i", tool(["pigz", "-6", "-i", "-c"], prose)),
              ("bgzip", tool(["bgzip", "-c"], prose))]
    found = []
    for name, data in kinds:
        if data is None:
            print(f"skipped: {name} (tool not installed)")
            continue
        path = os.path.join(work, f"{name}.gz")
        with open(path, "wb") as f:
            f.write(data)
        found.append((name, path))
    return found


def damaged_copies(source, folder, seed):
    """Two copies each of `source` with a byte changed, cut short, bytes
    appended and a wrong CRC-32, at offsets drawn from `seed`."""
    data = open(source, "rb").read()
    rng = random.Random(seed)
    damages = [("changed", lambda d, at: d[:at] + bytes([d[at] ^ 0x5a]) + d[at + 1:]),
               ("cut", lambda d, at: d[:at]),
               ("appended", lambda d, at: d + d[at:at + 100]),
               ("wrong-crc", lambda d, at: d[:-8] + bytes([d[-8] ^ 1]) + d[-7:])]
    for name, damage in damages:
        for trial in range(2):
            with open(os.path.join(folder, f"{name}-{trial}.gz"), "wb") as f:
                f.write(damage(data, rng.randrange(20, len(data) - 20)))


def member_folders(work, seed):
    """Fresh folders `kinds` (member_kinds) and `damaged` (damaged_copies of
    gzip-6.gz) under `work`: their paths and the kinds' (name, path)."""
    kinds_dir = os.path.join(work, "kinds")
    damaged_dir = os.path.join(work, "damaged")
    for d in (kinds_dir, damaged_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    files = member_kinds(kinds_dir)
    damaged_copies(os.path.join(kinds_dir, "gzip-6.gz"), damaged_dir, seed)
    return kinds_dir, damaged_dir, files
