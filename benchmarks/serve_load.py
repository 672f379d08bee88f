"""Load benchmark of `routeplan serve` on loopback: many reps checking in at once.

A seeded synthetic sales force (``routeplan.synthetic``) is written to a temporary folder,
every rep gets access and an API token, and the real server starts in a subprocess
(``routeplan --data DIR serve``). Then every rep, concurrently, posts its check-ins of a
compressed day (``POST /api/v1/visits``, each with its own idempotency key), with at most
``--concurrency`` requests in flight. Reported: server start time, requests per second,
p50/p90/p99/max latency, errors, and how many acknowledged visits are found in the store
after the server stops (every 2xx must be there: "lost" must be 0).

    python benchmarks/serve_load.py --concurrency 500        # 500 reps x 40, all in flight
    python benchmarks/serve_load.py --reps 100 --visits 40 --concurrency 32
    python benchmarks/serve_load.py --reps 100 --visits 20 --think-s 5   # paced, below capacity
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import httpx

DAY = dt.date(2027, 1, 5)  # a Tuesday of week 1 of the default cycle


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_world(folder: Path, reps: int, visits: int) -> tuple[Path, dict[str, list[str]]]:
    """Data folder with ``reps`` reps; the clients each rep will check in, by rep."""
    from routeplan.planning.prepare import prepare
    from routeplan.synthetic import synthetic_world, write_world

    data = write_world(synthetic_world(reps * (visits + 15), reps, seed=7), folder / "data")
    clients = prepare(data).clients
    by_rep = {
        str(rep): group["client_id"].astype(str).tolist()[:visits]
        for rep, group in clients.groupby("rep_id")
    }
    return data, by_rep


def give_access(data: Path, rep_ids: list[str]) -> dict[str, str]:
    """Every rep added with an API token (written straight to the store, as the CLI would)."""
    from routeplan.planning.people import add_person, issue_token
    from routeplan.planning.store import PlanStore

    tokens = {}
    with PlanStore(data / "plan.sqlite") as store:
        for rep in rep_ids:
            add_person(store, rep, role="rep", name=rep, rep_id=rep)
            tokens[rep], _csrf = issue_token(store, rep, kind="api", ttl=dt.timedelta(days=1))
    return tokens


BLOCKER = "raise ImportError('blocked by serve_load --no-speedups')\n"


def server_env(server_src: Path | None, no_speedups: bool, folder: Path) -> dict[str, str]:
    """Environment of the server: another source tree first, httptools/uvloop hidden."""
    paths = []
    if no_speedups:
        block = folder / "block"
        block.mkdir(exist_ok=True)
        for name in ("httptools", "uvloop"):
            (block / f"{name}.py").write_text(BLOCKER, encoding="utf-8")
        paths.append(str(block))
    if server_src is not None:
        paths.append(str(server_src))
    env = dict(os.environ)
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def start_server(
    data: Path, port: int, *, fast: bool, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], float]:
    started = time.perf_counter()
    command = [sys.executable, "-m", "routeplan.cli.main", "--data", str(data), "serve",
               "--port", str(port), "--today", DAY.isoformat()]  # fmt: skip
    if fast:
        command.append("--fast-commits")
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    url = f"http://127.0.0.1:{port}/healthz"
    while time.perf_counter() - started < 120:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return process, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start within 120 s")


class RawConnections:
    """A pool of keep-alive HTTP/1.1 connections speaking just enough HTTP for the benchmark.

    httpx costs the client about three times the server's CPU per request, and on a shared
    2-core machine the load generator then measures itself; writing the request bytes by hand
    and reading ``Content-Length`` bytes back costs a few per cent of that.
    """

    def __init__(self, port: int, size: int) -> None:
        self.port = port
        self.size = size
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None] = (
            asyncio.Queue()
        )
        for _ in range(size):
            self.idle.put_nowait(None)  # opened on first use

    async def post(self, path: str, body: bytes, token: str) -> int:
        """POST ``body`` (JSON) with a Bearer token; the status code (OSError on failure)."""
        conn = await self.idle.get()
        try:
            if conn is None:
                conn = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = conn
            head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n")  # fmt: skip
            writer.write(head.encode("ascii") + body)
            await writer.drain()
            header = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=600)
            lines = header.decode("latin-1").split("\r\n")
            length = next(
                int(line.split(":", 1)[1]) for line in lines
                if line.lower().startswith("content-length:")
            )  # fmt: skip
            await reader.readexactly(length)
            self.idle.put_nowait(conn)
            return int(lines[0].split()[1])
        except (TimeoutError, OSError, asyncio.IncompleteReadError, StopIteration) as exc:
            if conn is not None:
                conn[1].close()
            self.idle.put_nowait(None)
            raise OSError(type(exc).__name__) from exc


async def rep_day(
    http: RawConnections,
    rep: str,
    token: str,
    clients: list[str],
    out: dict[str, list],
    think_s: float,
) -> None:
    """One rep's compressed day: the check-ins one after the other, ``think_s`` apart."""
    if think_s:
        await asyncio.sleep(think_s * (zlib.crc32(rep.encode()) % 1000) / 1000)  # staggered
    for n, client_id in enumerate(clients):
        if think_s and n:
            await asyncio.sleep(think_s)
        key = f"{rep}-{n:03d}"
        body = {"client_id": client_id, "date": DAY.isoformat(), "status": "done",
                "client_key": key, "checked_in_at": f"{DAY}T{8 + n // 6:02d}:{n % 6 * 10:02d}:00",
                "lat": 60.2, "lon": 24.9}  # fmt: skip
        started = time.perf_counter()
        try:
            status = await http.post("/api/v1/visits", json.dumps(body).encode(), token)
        except OSError as exc:
            out["errors"].append(str(exc))
            continue
        out["latency"].append(time.perf_counter() - started)
        if status in (200, 201):
            out["acked"].append(f"{rep}:{key}")
        else:
            out["errors"].append(str(status))


async def run_load(
    port: int,
    tokens: dict[str, str],
    by_rep: dict[str, list[str]],
    concurrency: int,
    think_s: float,
) -> tuple[dict[str, list], float]:
    out: dict[str, list] = {"latency": [], "acked": [], "errors": []}
    http = RawConnections(port, concurrency)
    started = time.perf_counter()
    await asyncio.gather(
        *(rep_day(http, rep, tokens[rep], by_rep[rep], out, think_s) for rep in tokens)
    )
    return out, time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def found_in_store(data: Path, acked: list[str]) -> int:
    conn = sqlite3.connect(data / "plan.sqlite")
    keys = {r[0] for r in conn.execute("SELECT person_id || ':' || key FROM idempotency_keys")}
    rows = conn.execute("SELECT count(*) FROM visit_log WHERE source = 'field'").fetchone()[0]
    conn.close()
    found = sum(1 for k in acked if k in keys)
    print(f"visit_log rows from the field: {rows}")
    return found


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def report(args: argparse.Namespace, start_s: float, out: dict[str, list], wall: float,
           found: int) -> str:  # fmt: skip
    lat = out["latency"]
    sent = args.reps * args.visits
    lines = [
        f"# serve_load: {args.reps} reps x {args.visits} check-ins, "
        f"{args.concurrency} in flight, {args.think_s:g} s between a rep's check-ins "
        "(loopback, 1 uvicorn process, "
        f"{'--fast-commits' if args.fast_commits else 'power-safe commits'}"
        f"{', server from ' + str(args.server_src) if args.server_src else ''}"
        f"{', no httptools/uvloop' if args.no_speedups else ''})",
        "",
        "| measure | value |",
        "|---|---|",
        f"| server start (s) | {start_s:.1f} |",
        f"| requests | {sent} |",
        f"| wall time (s) | {wall:.1f} |",
        f"| requests/s | {len(lat) / wall:.0f} |",
        f"| server CPU per request (ms) | {out['server_cpu_s'][0] / len(lat) * 1000:.2f} |",
        f"| p50 latency (ms) | {_pct(lat, 0.50):.1f} |",
        f"| p90 latency (ms) | {_pct(lat, 0.90):.1f} |",
        f"| p99 latency (ms) | {_pct(lat, 0.99):.1f} |",
        f"| max latency (ms) | {max(lat) * 1000:.1f} |",
        f"| mean latency (ms) | {statistics.fmean(lat) * 1000:.1f} |",
        f"| errors | {len(out['errors'])} {sorted(set(out['errors']))} |",
        f"| acknowledged | {len(out['acked'])} |",
        f"| acknowledged found in the store | {found} |",
        f"| lost | {len(out['acked']) - found} |",
        "| load average 1 / 5 / 15 min at the end | "
        + " / ".join(f"{x:.1f}" for x in os.getloadavg())
        + " |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--visits", type=int, default=40, help="check-ins per rep")
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight")
    parser.add_argument(
        "--think-s",
        type=float,
        default=0.0,
        help="pause of each rep between check-ins (0: as fast as the server answers)",
    )
    parser.add_argument(
        "--fast-commits", action="store_true", help="serve with --fast-commits (synchronous=NORMAL)"
    )
    parser.add_argument(
        "--server-src", type=Path, default=None,
        help="run the server from this source tree (a baseline: git archive of an older commit)",
    )  # fmt: skip
    parser.add_argument(
        "--no-speedups", action="store_true",
        help="hide httptools and uvloop from the server (uvicorn falls back to h11 and asyncio)",
    )  # fmt: skip
    parser.add_argument("--name", default=None, help="results file name (without .md)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data, by_rep = make_world(Path(tmp), args.reps, args.visits)
        tokens = give_access(data, sorted(by_rep))
        port = _free_port()
        env = server_env(args.server_src, args.no_speedups, Path(tmp))
        process, start_s = start_server(data, port, fast=args.fast_commits, env=env)
        try:
            cpu_before = cpu_seconds(process.pid)
            out, wall = asyncio.run(run_load(port, tokens, by_rep, args.concurrency, args.think_s))
            out["server_cpu_s"] = [cpu_seconds(process.pid) - cpu_before]
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        text = report(args, start_s, out, wall, found_in_store(data, out["acked"]))
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "serve_load" + ("_fast" if args.fast_commits else "")
    name += f"_think{args.think_s:g}s" if args.think_s else ""
    (args.out / f"{args.name or name}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
