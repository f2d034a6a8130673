"""A small sampling profiler for the benchmark's processes (py-spy is not installed): run a module under it and get,
per process, where each kind of thread spends its wall time and how much CPU each kind of thread used.

    python -m bench.campaign.sampler OUT_PREFIX MODULE [ARGS...]      (like `python -m MODULE ARGS...`)

Every SAMPLE_EVERY seconds a daemon thread takes the Python stack of every thread (sys._current_frames) and counts,
per thread kind (the thread's name without its number: MainThread, bulk-send, campaign-sender, ...), the innermost
frame ("self") and every function on the stack ("total"). Forked children (gunicorn and Celery prefork workers) get
their own sampler (os.register_at_fork). Each process rewrites OUT_PREFIX.<pid>.txt every few seconds, so a
SIGKILLed or os._exit()ed worker still leaves its report.

Wall time, not CPU: a thread blocked in a socket read is sampled there too; the per-kind CPU seconds (from
/proc/self/task/<tid>/stat) say which kinds actually burn the cores. Overhead: ~1 % of a core at 50 Hz.
"""
from __future__ import annotations

import os
import re
import runpy
import sys
import threading
import time
from collections import Counter, defaultdict

SAMPLE_EVERY = 0.02
WRITE_EVERY = 5.0
TOP = int(os.environ.get("SAMPLER_TOP", "40"))  # functions listed per thread kind
_TICK = os.sysconf("SC_CLK_TCK")


def _kind(name: str) -> str:
    return re.sub(r"[-_ ]?\d+(_\d+)?$", "", re.sub(r" \(.*\)$", "", name)) or name


class Sampler:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.pid = os.getpid()
        self.self_counts: dict[str, Counter] = defaultdict(Counter)
        self.total_counts: dict[str, Counter] = defaultdict(Counter)
        self.samples: Counter = Counter()  # kind -> thread samples
        self.started = time.monotonic()
        self.cpu_start = self._thread_cpu()

    def _thread_cpu(self) -> dict[int, float]:
        out = {}
        try:
            tids = os.listdir(f"/proc/{self.pid}/task")
        except OSError:
            return out
        for tid in tids:
            try:
                with open(f"/proc/{self.pid}/task/{tid}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                out[int(tid)] = (int(fields[11]) + int(fields[12])) / _TICK
            except (OSError, IndexError, ValueError):
                pass
        return out

    def run(self) -> None:
        me = threading.get_ident()
        next_write = time.monotonic() + WRITE_EVERY
        while True:
            time.sleep(SAMPLE_EVERY)
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                kind = _kind(names.get(ident, "?"))
                self.samples[kind] += 1
                seen = set()
                leaf = True
                while frame is not None:
                    code = frame.f_code
                    key = f"{code.co_name} ({_short(code.co_filename)}:{code.co_firstlineno})"
                    if leaf:
                        self.self_counts[kind][key] += 1
                        leaf = False
                    if key not in seen:
                        self.total_counts[kind][key] += 1
                        seen.add(key)
                    frame = frame.f_back
            if time.monotonic() >= next_write:
                next_write = time.monotonic() + WRITE_EVERY
                self.write()

    def write(self) -> None:
        names = {t.native_id: t.name for t in threading.enumerate()}
        cpu_now = self._thread_cpu()
        cpu_by_kind: Counter = Counter()
        for tid, seconds in cpu_now.items():
            cpu_by_kind[_kind(names.get(tid, "(other native)"))] += seconds - self.cpu_start.get(tid, 0.0)
        elapsed = time.monotonic() - self.started
        lines = [f"process {self.pid} ({' '.join(sys.argv)[:200]}), {elapsed:.1f} s sampled every "
                 f"{SAMPLE_EVERY * 1000:.0f} ms",
                 "CPU seconds by thread kind: " + ", ".join(f"{k} {v:.1f}" for k, v in cpu_by_kind.most_common())]
        for kind, n in self.samples.most_common():
            lines.append(f"\n== {kind}: {n} thread-samples")
            lines.append("   self (innermost frame):")
            for key, c in self.self_counts[kind].most_common(TOP // 2):
                lines.append(f"   {100 * c / n:5.1f}%  {key}")
            lines.append("   total (on the stack):")
            for key, c in self.total_counts[kind].most_common(TOP):
                lines.append(f"   {100 * c / n:5.1f}%  {key}")
        tmp = f"{self.prefix}.{self.pid}.txt.tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, f"{self.prefix}.{self.pid}.txt")


def _short(path: str) -> str:
    for marker in ("site-packages/", "/backend/", "/work/main/", "/lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def start(prefix: str) -> None:
    sampler = Sampler(prefix)
    threading.Thread(target=sampler.run, name="bench-sampler", daemon=True).start()


def main() -> None:
    prefix, module, *args = sys.argv[1:]
    start(prefix)
    os.register_at_fork(after_in_child=lambda: start(prefix))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
