"""Issue 17's cases: one gzip member split across threads and ranks.

- member-kinds: `juggle count` of one `gzip -6` member of each kind of data
  in corpora.MEMBER_KINDS at 1 x 1, 1 x 2 and 2 x 1, against
  `igzip -dc | wc -l`, and juggle 1 x 1 run twice at once (what the
  machine gives two workers that share nothing). The kinds differ in how long a chunk cut out of the
  middle keeps copying from the unknown window before it (corpora.py),
  which sets what splitting can gain.
- bgzf: the same on count-large's text as bgzip writes it (members of
  64 KiB of text); skipped without bgzip.
- member-tokenize: `juggle tokenize` of one `gzip -6` member of prose at
  1 x 1 and 1 x 2.
- marker-path: bench_chunk_inflate_speed (one thread, CPU time) on
  count-large and on each member above: r, the speed of decoding a chunk
  without its window (two ISA-L passes, markers) over one ISA-L pass with
  the true window, which bounds what splitting one member can gain
  (about 1 + (N - 1) r on N cores).

count-large (bench.py) is one more: one `pigz -6` member of prose. Each
case function takes the bench's context (bench.py main) and returns its
table's rows; bench.py checks the targets."""
import os

import contenders
import corpora
from tables import measure_case

CASES = ("member-kinds", "bgzf", "member-tokenize", "marker-path")
# The row names the targets find them by: one per kind of data.
COUNT_OF = {kind: f"{contenders.COUNT} {kind}" for kind in corpora.MEMBER_KINDS + ("bgzf",)}


def run(case, ctx):
    return {"member-kinds": member_kinds, "bgzf": bgzf, "member-tokenize": member_tokenize,
            "marker-path": marker_path}[case](ctx)


def member_kinds(ctx):
    rows = []
    for kind, folder, lines, size in corpora.single_members(ctx.work, ctx.scale, ctx.log):
        path = os.path.join(folder, f"{kind}.gz")
        title = (f"member-kinds: {kind}, one gzip -6 member ({os.path.getsize(path) / 1e6:.0f} MB; "
                 f"{size / 1e6:.0f} MB of data, {lines} lines)")
        runs = contenders.single_member(path, lines, ctx.juggle, ctx.mpirun, COUNT_OF[kind])
        rows += measure_case("member-kinds", title, runs, size, [folder], ctx.repeats, ctx.timeout, ctx.log)
    return rows


def bgzf(ctx):
    made = corpora.bgzf(ctx.juggle, ctx.work, ctx.scale, ctx.log)
    if made is None:
        ctx.log("\nbgzf: skipped: bgzip not installed (Debian's tabix)")
        return []
    folder, lines, text = made
    path = os.path.join(folder, "large.gz")
    title = f"bgzf: {path} ({os.path.getsize(path) / 1e6:.0f} MB; {text / 1e6:.0f} MB of text, {lines} lines)"
    runs = contenders.single_member(path, lines, ctx.juggle, ctx.mpirun, COUNT_OF["bgzf"])
    return measure_case("bgzf", title, runs, text, [folder], ctx.repeats, ctx.timeout, ctx.log)


def member_tokenize(ctx):
    folder, path, text = corpora.prose_member(ctx.juggle, ctx.work, ctx.scale, ctx.log)
    title = f"member-tokenize: {path}, one gzip -6 member ({text / 1e6:.0f} MB of prose)"
    runs = contenders.member_tokenize(path, ctx.juggle, ctx.mpirun)
    return measure_case("member-tokenize", title, runs, text, [folder], ctx.repeats, ctx.timeout, ctx.log)


def marker_path(ctx):
    program = os.path.join(os.path.dirname(ctx.juggle), "bench_chunk_inflate_speed")
    large, _, _ = corpora.count_large(ctx.juggle, ctx.work, ctx.scale, ctx.log)
    files = [("prose pigz -6", os.path.join(large, "large.gz"))]
    _, prose, _ = corpora.prose_member(ctx.juggle, ctx.work, ctx.scale, ctx.log)
    files.append(("prose gzip -6", prose))
    for kind, member_folder, _, _ in corpora.single_members(ctx.work, ctx.scale, ctx.log):
        files.append((kind, os.path.join(member_folder, f"{kind}.gz")))
    runs = [contenders.marker_path(program, kind, path) for kind, path in files]
    title = ("marker path: one thread decoding 8 MiB chunks without their window, against one ISA-L pass "
             "(r and markers_pct after the columns; seconds are the whole measuring program's)")
    return measure_case("marker-path", title, runs, 0, sorted({os.path.dirname(p) for _, p in files}),
                        ctx.repeats, ctx.timeout, ctx.log)
