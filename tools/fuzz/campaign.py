#!/usr/bin/env python3
"""Mutation campaign against the kpu CLI.

Mutates every kmodel and kfpkg in a models folder (bit flips, byte insertions and deletions, truncations, huge
counts, swapped and duplicated layers/nodes, header/offset/size fields, KPU register fields, kfpkg manifest and zip
entries), runs `kpu info` (and `kpu check` for kfpkg) on each mutant and, when info succeeds, `kpu run` with a
zero input of the size info reports. A finding is: an exit code outside {0, 2, 3}, more than one line on stderr,
a stack trace, a .NET exception type name leaking into the message, a run over the time limit or a peak RSS over
the memory limit. Findings are kept under --findings with a line in findings.tsv.

usage: tools/fuzz/campaign.py --kpu src/K210Kpu.Cli/bin/Release/net10.0/kpu.dll --models ../shared/models \
           --seconds 600 --seed 1 --jobs 2 --findings out/campaign
"""
import argparse
import io
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

TIME_LIMIT = 10.0
RSS_LIMIT_KB = 1024 * 1024
INTERESTING32 = [0, 1, 2, 7, 8, 0x3F, 0x40, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x1FFFFF, 0x200000, 0x800000,
                 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x40000000, 0x10000000, 0x01000000]
LEAKED = ("IndexOutOfRangeException", "OverflowException", "InvalidCastException", "NullReferenceException",
          "ArgumentOutOfRangeException", "DivideByZeroException", "OutOfMemoryException", "StackOverflow",
          "AccessViolation", "KeyNotFoundException", "InvalidOperationException", "FormatException",
          "NotSupportedException", "NotImplementedException", "ArgumentException", "Unhandled exception", "   at ")


def u32(b, o):
    return struct.unpack_from("<I", b, o)[0]


def put32(b, o, v):
    struct.pack_into("<I", b, o, v & 0xFFFFFFFF)


# ---------- generic mutators ----------

def m_bitflip(rng, b):
    for _ in range(rng.choice([1, 1, 2, 4, 8])):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return b


def m_insert(rng, b):
    i = rng.randrange(len(b) + 1)
    n = rng.choice([1, 2, 3, 4, 8, 16, 64])
    b[i:i] = bytes(rng.randrange(256) for _ in range(n))
    return b


def m_delete(rng, b):
    i = rng.randrange(len(b))
    n = rng.choice([1, 2, 3, 4, 8, 16, 64])
    del b[i:i + n]
    return b


def m_truncate(rng, b):
    return b[:rng.randrange(len(b))]


def m_huge(rng, b):
    # an aligned u32 near the start (headers, counts, offsets) set to an interesting value
    limit = min(len(b) - 4, rng.choice([64, 256, 4096, len(b)]))
    if limit <= 0:
        return b
    o = rng.randrange(0, limit) & ~3
    put32(b, o, rng.choice(INTERESTING32))
    return b


def m_random_u32(rng, b):
    if len(b) < 4:
        return b
    o = rng.randrange(0, len(b) - 3) & ~3
    put32(b, o, rng.choice(INTERESTING32 + [rng.getrandbits(32)]))
    return b


# ---------- format-aware mutators ----------

def v3_layout(b):
    n = u32(b, 12)
    outs = u32(b, 24)
    hdr = 28 + outs * 8
    bodies = hdr + n * 8
    layers = []
    pos = bodies
    for i in range(n):
        t, size = u32(b, hdr + i * 8), u32(b, hdr + i * 8 + 4)
        layers.append((t, pos, size))
        pos += size
    return n, outs, hdr, bodies, layers


def v4_layout(b):
    consts, nodes, ins, outs = u32(b, 16), u32(b, 24), u32(b, 28), u32(b, 32)
    hdr = 40 + ins * 32 + outs * 16 + consts
    pos = hdr + nodes * 8
    layers = []
    for i in range(nodes):
        t, size = u32(b, hdr + i * 8), u32(b, hdr + i * 8 + 4)
        layers.append((t, pos, size))
        pos += size
    return nodes, hdr, layers


def kind(b):
    if len(b) >= 8 and b[:4] == b"LDMK":
        return "v4"
    if len(b) >= 4 and u32(b, 0) == 3:
        return "v3"
    if len(b) >= 4 and u32(b, 0) == 1:
        return "legacy"
    return "other"


def m_header_field(rng, b):
    k = kind(b)
    fields = {"v3": range(0, 28, 4), "v4": range(0, 40, 4), "legacy": range(0, 20, 4)}.get(k, range(0, 16, 4))
    o = rng.choice(list(fields))
    if o + 4 > len(b):
        return b
    v = u32(b, o)
    put32(b, o, rng.choice(INTERESTING32 + [v + 1, v - 1, v * 2, v + 0x1000, v ^ 0x80000000]))
    return b


def m_layer_table(rng, b):
    """Swap, duplicate or resize layers/nodes through their header tables."""
    k = kind(b)
    try:
        if k == "v3":
            n, outs, hdr, bodies, layers = v3_layout(b)
            table_off = hdr
            count_off = 12
            start = bodies
        elif k == "v4":
            n, hdr, layers = v4_layout(b)
            table_off = hdr
            count_off = 24
            start = hdr + n * 8
        elif k == "legacy":
            n = u32(b, 8)
            i, j = rng.randrange(n), rng.randrange(n)
            # swap two metadata rows or two register blocks
            if rng.random() < 0.5:
                a, c = 20 + i * 28, 20 + j * 28
                b[a:a + 28], b[c:c + 28] = bytes(b[c:c + 28]), bytes(b[a:a + 28])
            else:
                base = u32(b, 16)
                a, c = base + i * 96, base + j * 96
                b[a:a + 96], b[c:c + 96] = bytes(b[c:c + 96]), bytes(b[a:a + 96])
            return b
        else:
            return m_bitflip(rng, b)
    except (struct.error, ValueError, IndexError):
        return m_bitflip(rng, b)
    if n == 0 or start > len(b):
        return m_bitflip(rng, b)
    op = rng.choice(["swap", "dup", "size", "type", "drop"])
    entries = [bytes(b[table_off + i * 8: table_off + i * 8 + 8]) for i in range(n)]
    body_bytes = [bytes(b[p:p + s]) for (_, p, s) in layers]
    tail = bytes(b[layers[-1][1] + layers[-1][2]:]) if layers else b""
    i = rng.randrange(n)
    if op == "swap":
        j = rng.randrange(n)
        entries[i], entries[j] = entries[j], entries[i]
        body_bytes[i], body_bytes[j] = body_bytes[j], body_bytes[i]
    elif op == "dup":
        entries.insert(i, entries[i])
        body_bytes.insert(i, body_bytes[i])
    elif op == "drop" and n > 1:
        del entries[i]
        del body_bytes[i]
    elif op == "size":
        e = bytearray(entries[i])
        put32(e, 4, rng.choice(INTERESTING32 + [u32(e, 4) + 8, u32(e, 4) - 8, u32(e, 4) * 4]))
        entries[i] = bytes(e)
    else:
        e = bytearray(entries[i])
        put32(e, 0, rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0x100, 0x101,
                                0x1001, 0x1002, 0x2000, 0x2001, 0x2002, 10240, 10241, 10242, 10243, 0xFFFFFFFF]))
        entries[i] = bytes(e)
    out = bytearray(b[:table_off])
    put32(out, count_off, len(entries))
    for e in entries:
        out += e
    for bb in body_bytes:
        out += bb
    out += tail
    return out


def m_body_field(rng, b):
    """An aligned u32 inside one layer/node body set to an interesting value (offsets, sizes, counts, shapes)."""
    k = kind(b)
    try:
        if k == "v3":
            layers = v3_layout(b)[4]
        elif k == "v4":
            layers = v4_layout(b)[2]
        else:
            return m_random_u32(rng, b)
    except (struct.error, ValueError, IndexError):
        return m_random_u32(rng, b)
    layers = [l for l in layers if l[2] >= 8 and l[1] + l[2] <= len(b)]
    if not layers:
        return m_random_u32(rng, b)
    t, p, s = rng.choice(layers)
    o = p + (rng.randrange(0, min(s, 256) - 3) & ~3)
    v = u32(b, o)
    put32(b, o, rng.choice(INTERESTING32 + [v + 1, v - 1, v * 2, v + 64, v ^ 0x80000000, -v & 0xFFFFFFFF]))
    return b


def register_blocks(b):
    """File offsets of 96-byte KPU register blocks (V3 K210Conv layer_offset, legacy argument table)."""
    k = kind(b)
    found = []
    try:
        if k == "v3":
            for t, p, s in v3_layout(b)[4]:
                if t == 10240 and p + 24 <= len(b):
                    for f in range(4, 24, 4):
                        v = u32(b, p + f)
                        if v % 8 == 0 and 0 < v and v + 96 <= len(b) and v != p:
                            found.append(v)
                            break
        elif k == "legacy":
            n, base = u32(b, 8), u32(b, 16)
            found = [base + i * 96 for i in range(n) if base + i * 96 + 96 <= len(b)]
        elif k == "v4":
            for t, p, s in v4_layout(b)[2]:
                if t == 0x2001 and s >= 96 + 16:
                    # registers follow the input and memory descriptors; try a few plausible starts
                    found.append(p + (16 if s > 200 else 0))
    except (struct.error, ValueError, IndexError):
        pass
    return [f for f in found if f + 96 <= len(b)]


def m_register(rng, b):
    blocks = register_blocks(b)
    if not blocks:
        return m_body_field(rng, b)
    base = rng.choice(blocks)
    reg = rng.randrange(12)
    o = base + reg * 8
    v = struct.unpack_from("<Q", b, o)[0]
    lo = rng.randrange(64)
    width = rng.choice([1, 2, 4, 8, 10, 15, 16])
    mask = ((1 << width) - 1) << lo
    mask &= (1 << 64) - 1
    choice = rng.random()
    if choice < 0.4:
        v |= mask
    elif choice < 0.6:
        v &= ~mask
    else:
        v ^= rng.getrandbits(64) & mask
    struct.pack_into("<Q", b, o, v & ((1 << 64) - 1))
    return b


MODEL_MUTATORS = [(m_bitflip, 3), (m_insert, 1), (m_delete, 1), (m_truncate, 1), (m_huge, 2), (m_random_u32, 1),
                  (m_header_field, 2), (m_layer_table, 2), (m_body_field, 3), (m_register, 3)]


def mutate_model(rng, data):
    b = bytearray(data)
    names = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        fs, ws = zip(*MODEL_MUTATORS)
        f = rng.choices(fs, ws)[0]
        names.append(f.__name__[2:])
        if len(b) == 0:
            break
        b = f(rng, b)
    return bytes(b), "+".join(names)


# ---------- kfpkg mutators ----------

def read_zip(data):
    z = zipfile.ZipFile(io.BytesIO(data))
    return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write_zip(entries, compress=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as z:
        for name, content in entries:
            z.writestr(name, content)
    return out.getvalue()


BOMB = None


def bomb_entry():
    global BOMB
    if BOMB is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            with z.open("big.bin", "w", force_zip64=True) as f:
                chunk = bytes(1 << 20)
                for _ in range(1536):  # 1.5 GiB of zeros
                    f.write(chunk)
        BOMB = out.getvalue()
    return BOMB


def mutate_kfpkg(rng, data):
    try:
        entries = read_zip(data)
    except Exception:
        return mutate_model(rng, data)
    manifest_i = next((i for i, (n, _) in enumerate(entries) if n == "flash-list.json"), None)
    op = rng.choice(["json", "json", "path", "dup", "addr", "bomb", "raw", "raw", "model", "missing", "sha"])
    if op == "raw":
        return mutate_model(rng, data)[0], "kfpkg-raw"
    if manifest_i is None:
        return mutate_model(rng, data)[0], "kfpkg-raw"
    try:
        manifest = json.loads(entries[manifest_i][1])
    except Exception:
        manifest = None
    if op == "json" or manifest is None:
        text = bytearray(entries[manifest_i][1])
        if text:
            cut = rng.randrange(len(text))
            if rng.random() < 0.5:
                text = text[:cut]
            else:
                text[cut] = rng.choice(b"{}[],:\"0\\x")
        entries[manifest_i] = ("flash-list.json", bytes(text))
        return write_zip(entries), "kfpkg-json"
    files = manifest.get("files", [])
    if not files:
        return write_zip(entries), "kfpkg-empty"
    f = rng.choice(files)
    if op == "path":
        f["bin"] = rng.choice(["../evil.bin", "/etc/passwd", "a/../../b.bin", "sub/dir/x.kmodel", "C:\\x.bin", ""])
        entries.append((f["bin"] or "empty", b"\x03\x00\x00\x00" * 8))
    elif op == "dup":
        name = f.get("bin", "x")
        content = next((c for n, c in entries if n == name), b"")
        entries.append((name, bytes(reversed(content))))
    elif op == "addr":
        f["address"] = rng.choice([-1, 0x1000000 - 4, 0x1000000, 0x7FFFFFFF, 0xFFFFFFFF, 2 ** 40, "0x300000", None, 1.5])
    elif op == "bomb":
        f["bin"] = "big.bin"
        return build_with_bomb(entries, manifest), "kfpkg-bomb"
    elif op == "model":
        name = f.get("bin")
        for idx, (n, c) in enumerate(entries):
            if n == name and c:
                entries[idx] = (n, mutate_model(rng, c)[0])
    elif op == "missing":
        f["bin"] = "nonexistent.kmodel"
    elif op == "sha":
        f["sha256Prefix"] = rng.choice([True, False, "yes", 7])
    entries[manifest_i] = ("flash-list.json", json.dumps(manifest).encode())
    return write_zip(entries), "kfpkg-" + op


def build_with_bomb(entries, manifest):
    """A kfpkg whose manifest names big.bin, a 1.5 GiB run of zeros stored deflated in ~1.5 MB."""
    bomb = bomb_entry()
    out = io.BytesIO(bomb)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries:
            if content is None or name == "big.bin":
                continue
            if name == "flash-list.json":
                content = json.dumps(manifest).encode()
            z.writestr(name, content)
    return out.getvalue()


# ---------- running ----------

def run_measured(cmd, cwd):
    """Runs cmd, returns (rc, stdout, stderr, wall seconds, cpu seconds, peak rss KB, timed out)."""
    t0 = time.monotonic()
    r, w = os.pipe()
    re_, we = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setsid()
        os.chdir(cwd)
        os.dup2(w, 1)
        os.dup2(we, 2)
        os.close(r)
        os.close(re_)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    os.close(w)
    os.close(we)
    bufs = {r: [], re_: []}

    def drain(fd):
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            bufs[fd].append(chunk)

    threads = [threading.Thread(target=drain, args=(fd,)) for fd in (r, re_)]
    for t in threads:
        t.start()
    timed_out = False
    while True:
        wpid, status, ru = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            break
        if time.monotonic() - t0 > 6 * TIME_LIMIT:
            timed_out = True
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            wpid, status, ru = os.wait4(pid, 0)
            break
        time.sleep(0.01)
    wall = time.monotonic() - t0
    for t in threads:
        t.join()
    os.close(r)
    os.close(re_)
    rc = os.waitstatus_to_exitcode(status)
    cpu = ru.ru_utime + ru.ru_stime
    return rc, b"".join(bufs[r]).decode("utf-8", "replace"), b"".join(bufs[re_]).decode("utf-8", "replace"), wall, cpu, ru.ru_maxrss, timed_out


def judge(label, rc, err, wall, cpu, rss, timed_out):
    """The machine may be shared: a run is too slow when its CPU time passes the limit (or it was killed)."""
    problems = []
    if timed_out or cpu > TIME_LIMIT:
        problems.append(f"time {wall:.1f}s wall {cpu:.1f}s cpu")
    if rss > RSS_LIMIT_KB:
        problems.append(f"rss {rss // 1024} MiB")
    # `kpu check` reports its verdict as 4 (warning) or 5 (will fail)
    if rc not in ((0, 2, 3, 4, 5) if label == "check" else (0, 2, 3)):
        problems.append(f"exit {rc}")
    lines = [l for l in err.splitlines() if l.strip()]
    if rc in (1, 2, 3) and len(lines) != 1:
        problems.append(f"stderr {len(lines)} lines")
    if rc in (0, 4, 5) and lines:
        problems.append("stderr on success")
    for word in LEAKED:
        if word in err:
            problems.append(f"leaked {word.strip()}")
            break
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kpu", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--count", type=int, default=0, help="stop after this many mutants (0: until --seconds)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--findings", default="out/campaign")
    args = ap.parse_args()

    kpu = os.path.abspath(args.kpu)
    os.makedirs(args.findings, exist_ok=True)
    seeds = []
    for name in sorted(os.listdir(args.models)):
        if name.endswith(".kmodel") or name.endswith(".kfpkg"):
            with open(os.path.join(args.models, name), "rb") as f:
                seeds.append((name, f.read()))
    stats = {"mutants": 0, "invocations": 0, "exit0": 0, "exit2": 0, "exit3": 0, "findings": 0, "max_wall": 0.0, "max_cpu": 0.0,
             "max_rss_kb": 0, "info_ok": 0, "run_ok": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    tsv = open(os.path.join(args.findings, "findings.tsv"), "a")

    def worker(wid):
        rng = random.Random(args.seed * 1000 + wid)
        tmp = tempfile.mkdtemp(prefix=f"kpu-campaign-{wid}-")
        n = 0
        while time.monotonic() < deadline:
            with lock:
                if args.count and stats["mutants"] >= args.count:
                    break
                stats["mutants"] += 1
                serial = stats["mutants"]
            name, data = seeds[(serial + wid) % len(seeds)]
            is_pkg = name.endswith(".kfpkg")
            try:
                mutant, how = (mutate_kfpkg if is_pkg else mutate_model)(rng, data)
            except Exception as ex:  # a mutator bug must not stop the campaign
                mutant, how = m_bitflip(rng, bytearray(data)), f"fallback({type(ex).__name__})"
                mutant = bytes(mutant)
            ext = ".kfpkg" if is_pkg else ".kmodel"
            path = os.path.join(tmp, "m" + ext)
            with open(path, "wb") as f:
                f.write(mutant)
            cmds = [("info", ["dotnet", kpu, "info", path, "--json"])]
            if is_pkg:
                cmds.append(("check", ["dotnet", kpu, "check", path]))
            results = []
            for label, cmd in cmds:
                results.append((label, cmd) + run_measured(cmd, tmp))
            info = results[0]
            if info[2] == 0 and not is_pkg:
                try:
                    j = json.loads(info[3])
                    size = int(j["inputs"][0]["bytes"])
                except Exception:
                    size = -1
                if 0 <= size <= 64 << 20:
                    inp = os.path.join(tmp, "input.bin")
                    with open(inp, "wb") as f:
                        f.write(bytes(size))
                    outdir = os.path.join(tmp, "out")
                    cmd = ["dotnet", kpu, "run", path, "--input", inp, "--output", outdir]
                    results.append(("run", cmd) + run_measured(cmd, tmp))
                    shutil.rmtree(outdir, ignore_errors=True)
            for label, cmd, rc, out, err, wall, cpu, rss, to in results:
                problems = judge(label, rc, err, wall, cpu, rss, to)
                with lock:
                    stats["invocations"] += 1
                    stats[f"exit{rc}"] = stats.get(f"exit{rc}", 0) + 1
                    stats["max_wall"] = max(stats["max_wall"], wall)
                    stats["max_cpu"] = max(stats["max_cpu"], cpu)
                    stats["max_rss_kb"] = max(stats["max_rss_kb"], rss)
                    if label == "info" and rc == 0:
                        stats["info_ok"] += 1
                    if label == "run" and rc == 0:
                        stats["run_ok"] += 1
                    if problems:
                        stats["findings"] += 1
                        keep = os.path.join(args.findings, f"{stats['findings']:04d}-{label}-{name}-{how.replace('+', '_')}{ext}")
                        with open(keep, "wb") as f:
                            f.write(mutant)
                        first = (err.strip().splitlines() or [""])[0][:300]
                        tsv.write(f"{os.path.basename(keep)}\t{label}\t{rc}\t{wall:.2f}/{cpu:.2f}\t{rss // 1024}\t{'; '.join(problems)}\t{first}\n")
                        tsv.flush()
            n += 1
        shutil.rmtree(tmp, ignore_errors=True)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(args.jobs)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats["seconds"] = round(time.monotonic() - t0, 1)
    stats["max_wall"] = round(stats["max_wall"], 2)
    stats["max_cpu"] = round(stats["max_cpu"], 2)
    stats["max_rss_mib"] = stats.pop("max_rss_kb") // 1024
    stats["seed"] = args.seed
    stats["models"] = len(seeds)
    print(json.dumps(stats))
    with open(os.path.join(args.findings, "summary.json"), "a") as f:
        f.write(json.dumps(stats) + "\n")
    return 1 if stats["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
