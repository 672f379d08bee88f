"""Start-up time of the command line: ``routeplan --help`` and ``routeplan serve`` until ready.

Runs each in a fresh interpreter, ``--runs`` times, for this checkout and (side by side, same
run) for a baseline source tree given with ``--baseline-src`` (e.g. ``git archive`` of an
older commit unpacked to /tmp/base, its ``src`` folder). ``serve`` is timed from the process
start until ``/healthz`` answers, over a copy of the demo data folder.

    python benchmarks/cli_start.py --baseline-src /tmp/base/src
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def time_help(src: Path | None) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "routeplan.cli.main", "--help"], env=_env(src),
                   check=True, capture_output=True, cwd=ROOT)  # fmt: skip
    return time.perf_counter() - started


def time_serve(src: Path | None, data: Path) -> float:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "routeplan.cli.main", "--data", str(data), "serve",
         "--port", str(port)],
        env=_env(src), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while time.perf_counter() - started < 180:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                time.sleep(0.05)
        raise SystemExit("serve did not become ready in 180 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--demo", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks" / "results" / "cli_start.md"
    )
    args = parser.parse_args()
    trees: list[tuple[str, Path | None]] = [("this checkout", None)]
    if args.baseline_src is not None:
        trees.insert(0, ("baseline", args.baseline_src))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, src in trees:
            data = Path(tmp) / name.replace(" ", "-")
            shutil.copytree(args.demo, data)
            helps = [time_help(src) for _ in range(args.runs)]
            serves = [time_serve(src, data) for _ in range(args.runs)]
            rows.append((name, statistics.median(helps), statistics.median(serves)))
    load = os.getloadavg()
    lines = [
        f"# CLI start-up, median of {args.runs} runs (load average {load[0]:.1f} / {load[1]:.1f} "
        f"/ {load[2]:.1f} at the end)",
        "",
        "| tree | `routeplan --help` (s) | `routeplan --data demo serve` ready (s) |",
        "|---|---|---|",
        *(f"| {name} | {h:.2f} | {s:.2f} |" for name, h, s in rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
