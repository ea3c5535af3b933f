#!/usr/bin/env python3
"""The layers of src/ hold (CMakeLists.txt gives each folder a library whose
sources see only their own folder and those of the libraries they link):

1. For each folder, the include roots its sources are compiled with
   (compile_commands.json) are within what the layering allows: no folder but
   cli/ sees cli/, none but parallel/ and results/ sees MPI's headers (results/
   through the parallel HDF5's hdf5.h, which includes <mpi.h>), the stage cores see
   neither pipeline/ nor report/, and src/ itself is on no include path.
2. The compiler refuses a crossing: a probe that includes a header the layer
   may not see, compiled with a real source's command, fails with the
   compiler's "No such file" (GCC) or "file not found" (Clang); the same probe with an allowed header compiles (so the refusal is
   the layering's, not a broken command).
3. No source outside src/parallel/ includes <mpi.h> itself, none outside src/cli/
   includes "cli/..." or CLI11 (<CLI/...>): the layers below take plain
   settings structs, never command-line types.

Usage: check_layers.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

# What each folder may see besides itself (its library's links, transitively).
ALLOWED = {
    "files": set(),
    "parallel": set(),
    "gzip": set(),
    "count": {"gzip", "parallel"},
    "tokenize": {"gzip", "files"},
    "results": {"files", "build_info.hpp"},
    "fetch": {"results", "files"},
    "gen": {"files", "parallel"},
    "report": {"results", "files", "parallel", "tokenize", "gzip"},
    "pipeline": {"count", "gzip", "tokenize", "fetch", "results", "files", "parallel"},
}
# The folders whose sources see MPI's headers: parallel/, and results/, whose
# hdf5.h (HDF5 built with MPI) includes <mpi.h>; HDF5 is PRIVATE to results/.
MPI_FOLDERS = {"parallel", "results"}
# (folder, header it must not reach, header it may reach)
PROBES = [
    ("gzip", "cli/app.hpp", "gzip/gzip_status.hpp"),
    ("count", "pipeline/engine.hpp", "count/newlines.hpp"),
    ("tokenize", "mpi.h", "gzip/gzip_status.hpp"),
    ("results", "report/stage_stats.hpp", "results/timeline.hpp"),
    ("pipeline", "cli/io.hpp", "parallel/messages.hpp"),
]

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def folder_of(path, src):
    rel = os.path.relpath(path, src)
    return rel.split(os.sep)[0] if not rel.startswith("..") and os.sep in rel else None


def include_dirs(command):
    args = shlex.split(command)
    dirs = []
    for i, a in enumerate(args):
        if a in ("-I", "-isystem") and i + 1 < len(args):
            dirs.append(args[i + 1])
        elif a.startswith("-I"):
            dirs.append(a[2:])
        elif a.startswith("-isystem") and len(a) > 8:
            dirs.append(a[8:])
    return [os.path.normpath(d) for d in dirs]


def main():
    build, src_root = sys.argv[1], sys.argv[2]
    src = os.path.normpath(os.path.join(src_root, "src"))
    roots = os.path.normpath(os.path.join(build, "include"))
    with open(os.path.join(build, "compile_commands.json")) as f:
        commands = json.load(f)
    mpi_dirs = set()
    mpi_h = subprocess.run(["mpicc", "--showme:incdirs"], capture_output=True, text=True)
    if mpi_h.returncode == 0:
        mpi_dirs = {os.path.normpath(d) for d in mpi_h.stdout.split()}
    by_folder = {}
    for entry in commands:
        folder = folder_of(entry["file"], src)
        if folder is None:
            continue
        command = entry.get("command") or " ".join(shlex.quote(a) for a in entry["arguments"])
        by_folder.setdefault(folder, entry | {"command": command})
        for d in include_dirs(command):
            if d == src:
                fail(f"{entry['file']}: src/ itself is an include directory")
            if d.startswith(roots + os.sep):
                seen = os.path.relpath(d, roots)
                if folder in ALLOWED and seen != folder and seen not in ALLOWED[folder]:
                    fail(f"{entry['file']}: sees {seen}/, which {folder}/ may not")
            if d in mpi_dirs and folder not in MPI_FOLDERS:
                fail(f"{entry['file']}: sees MPI's headers ({d})")
    missing = set(ALLOWED) - set(by_folder)
    if missing:
        fail(f"no compile command for the folders {sorted(missing)}")

    with tempfile.TemporaryDirectory() as tmp:
        for folder, forbidden, allowed in PROBES:
            entry = by_folder.get(folder)
            if entry is None:
                continue
            for header, should_compile in ((forbidden, False), (allowed, True)):
                probe = os.path.join(tmp, f"probe_{folder}.cpp")
                with open(probe, "w") as f:
                    f.write(f'#include {"<" + header + ">" if header == "mpi.h" else chr(34) + header + chr(34)}\n')
                args = shlex.split(entry["command"])
                args = [probe if a == entry["file"] else a for a in args]
                out = args.index("-o") if "-o" in args else -1
                if out >= 0:
                    args[out + 1] = os.path.join(tmp, "probe.o")
                run = subprocess.run(args, cwd=entry["directory"], capture_output=True, text=True)
                if should_compile and run.returncode != 0:
                    fail(f"{folder}/: the allowed {header} does not compile: {run.stderr[-300:]}")
                refused = "No such file" in run.stderr or "file not found" in run.stderr  # GCC, Clang
                if not should_compile and (run.returncode == 0 or not refused):
                    fail(f"{folder}/: including {header} was not refused")
                if not should_compile and run.returncode != 0:
                    print(f"ok: {folder}/ cannot include {header}")

    pattern_mpi = re.compile(r'#\s*include\s*<mpi\.h>')
    pattern_cli = re.compile(r'#\s*include\s*"cli/')
    pattern_cli11 = re.compile(r'#\s*include\s*[<"]CLI/')
    for folder in sorted(os.listdir(src)):
        path = os.path.join(src, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            with open(os.path.join(path, name), errors="replace") as f:
                text = f.read()
            if folder != "parallel" and pattern_mpi.search(text):
                fail(f"src/{folder}/{name} includes <mpi.h>")
            if folder != "cli" and pattern_cli.search(text):
                fail(f"src/{folder}/{name} includes a cli/ header")
            if folder != "cli" and pattern_cli11.search(text):
                fail(f"src/{folder}/{name} includes CLI11")
    if failures:
        sys.exit(1)
    print(f"ok: {len(commands)} compile commands within the layers; no <mpi.h> outside parallel/, no cli/ or CLI11 below cli/")


if __name__ == "__main__":
    main()
