#!/usr/bin/env python3
"""Writes the committed seed inputs of the gzip, split, tokenizer and URL targets
(corpus/<target>/); the job-file and results-file seeds are copies of real
ones (see README.md). Deterministic: rerunning changes nothing."""
import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    os.makedirs(os.path.join(HERE, "corpus", target), exist_ok=True)
    with open(os.path.join(HERE, "corpus", target, name), "wb") as f:
        f.write(data)


def member(data, level=6, name=None, extra=None, comment=None, hcrc=False):
    """One gzip member built by hand, so every header field can be present."""
    flags = (0x02 if hcrc else 0) | (0x04 if extra else 0) | (0x08 if name else 0) | (0x10 if comment else 0)
    head = b"\x1f\x8b\x08" + bytes([flags]) + struct.pack("<I", 0) + b"\x00\x03"
    if extra:
        head += struct.pack("<H", len(extra)) + extra
    if name:
        head += name + b"\x00"
    if comment:
        head += comment + b"\x00"
    if hcrc:
        head += struct.pack("<H", zlib.crc32(head) & 0xFFFF)
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    return head + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def gzip_seeds():
    text = b"".join(b"line %d of a small file\n" % i for i in range(40))
    put("gzip_lines", "lines.gz", gzip.compress(text, mtime=0))
    put("gzip_lines", "stored.gz", member(text, level=0))
    put("gzip_lines", "empty-member.gz", member(b""))
    put("gzip_lines", "no-final-newline.gz", member(b"a\nb\nc"))
    put("gzip_lines", "two-members.gz", member(b"first\n") + member(b"second\nthird\n", level=9))
    put("gzip_lines", "header-fields.gz", member(b"x\n" * 10, name=b"f.txt", extra=b"AB\x02\x00hi",
                                                 comment=b"seed", hcrc=True))
    put("gzip_lines", "zero-padding.gz", member(b"padded\n") + b"\x00" * 16)
    put("gzip_lines", "trailing-garbage.gz", member(b"ok\n") + b"garbage")
    put("gzip_lines", "truncated.gz", member(text)[:-6])
    put("gzip_lines", "bad-crc.gz", member(b"crc\n")[:-8] + b"\x00\x00\x00\x00" + struct.pack("<I", 4))
    put("gzip_lines", "high-ratio.gz", member(b"\n" * 60000, level=9))
    put("gzip_lines", "not-gzip.txt", b"plain text, not gzip\n")


def bgzf(data, block):
    """`data` as bgzip writes it: members with the BC subfield, then the
    empty end-of-file member."""
    out = b""
    for at in list(range(0, len(data), block)) + [len(data)]:
        part = data[at:at + block]
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = c.compress(part) + c.flush()
        size = 18 + len(body) + 8
        out += b"\x1f\x8b\x08\x04" + struct.pack("<I", 0) + b"\x00\x03" + struct.pack("<H", 6) + b"BC"
        out += struct.pack("<HH", 2, size - 1) + body + struct.pack("<II", zlib.crc32(part), len(part))
    return out


def split_seeds():
    # BGZF: the first byte (0x1f) sets the range size; the rest is not raw deflate.
    text = b"".join(b"record %d: %s\n" % (i, b"ACGT" * (i % 9)) for i in range(600))
    put("split_count", "bgzf.gz", bgzf(text, 2000))
    put("split_count", "bgzf-then-garbage.gz", bgzf(text[:5000], 1500) + b"not gzip at all")
    # Raw deflate after one byte that sets the cut step: several dynamic
    # blocks (sync flushes between parts add empty stored blocks).
    words = [b"alpha", b"beta", b"gamma", b"delta", b"line\n", b"x" * 7, b"\n", b"omega"]
    parts = [b" ".join(words[(i * 7 + j * 3) % len(words)] for j in range(900)) for i in range(6)]
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    stream = b"".join(c.compress(p) + c.flush(zlib.Z_SYNC_FLUSH) for p in parts) + c.flush()
    put("split_count", "deflate-blocks", bytes([3]) + stream)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    put("split_count", "deflate-one-stream", bytes([0]) + c.compress(b"".join(parts) * 3) + c.flush())
    # One gzip member of several dynamic blocks, read as a file (the first
    # byte, 0x1f, sets 256-byte deflate chunks of 8 KiB), and the same with
    # its trailer's CRC-32 wrong.
    one_member = gzip.compress(b"".join(parts) * 4, 6, mtime=0)
    put("split_count", "member.gz", one_member)
    put("split_count", "member-bad-crc.gz", one_member[:-8] + bytes([one_member[-8] ^ 1]) + one_member[-7:])


def tokenize_seeds():
    # First byte: bit 0 = no folding, bit 1 = ASCII mode, bits 2-7 = cut step.
    samples = {
        "english": b"It was the best of times, it was the worst of times; don't panic. 1984's THE END.\n",
        "utf8": "Caf\u00e9 na\u00efve \u00c9COLE don\u2019t \u4e2d\u6587 stra\u00dfe cafe\u0301 \u0391\u03b8\u03ae\u03bd\u03b1\n".encode(),
        "invalid": b"ok \xff\xfe bad \xc3 cut \xe2\x80 \xf0\x9f\x98\x80 emoji\x00nul\n",
        "apostrophes": b"'quoted' rock'n'roll ''double'' end' 'start o'clock \xe2\x80\x99tis\n",
        "long-word": b"a" * 300 + b" " + b"b1" * 40 + b"\n",
    }
    for i, (name, text) in enumerate(samples.items()):
        put("tokenize", name, bytes([(i * 37) & 0xFF]) + text)


def url_seeds():
    urls = [
        "https://www.gutenberg.org/cache/epub/376/pg376.txt",
        "https://www.gutenberg.org/files/84/84-0.txt",
        "http://example.org/a/b/../../etc/passwd",
        "http://example.org/%2e%2e/%2E%2e%2fsecret",
        "http://example.org/dir/",
        "http://example.org/.hidden",
        "http://example.org/..",
        "http://example.org/file.txt?x=1#frag",
        "http://example.org/" + "n" * 200 + ".txt",
        "http://example.org/same.txt",
        "http://example.org/other/same.txt",
        "ftp://example.org/x",
        "not a url",
        "",
    ]
    put("url_naming", "list.txt", "\n".join(urls).encode())
    put("url_naming", "one.txt", urls[0].encode())


if __name__ == "__main__":
    gzip_seeds()
    split_seeds()
    tokenize_seeds()
    url_seeds()
