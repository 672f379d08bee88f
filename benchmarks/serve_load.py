"""Load benchmark of `routeplan serve` on loopback: many reps checking in at once.

A seeded synthetic sales force (``routeplan.synthetic``) is written to a temporary folder,
every rep gets access and an API token, and the real server starts in a subprocess
(``routeplan --data DIR serve``). Then every rep, concurrently, posts its check-ins of a
compressed day (``POST /api/v1/visits``, each with its own idempotency key), with at most
``--concurrency`` requests in flight. Reported: server start time, requests per second,
p50/p90/p99/max latency, errors, and how many acknowledged visits are found in the store
after the server stops (every 2xx must be there: "lost" must be 0).

    python benchmarks/serve_load.py                          # 500 reps x 40 check-ins
    python benchmarks/serve_load.py --reps 100 --visits 40 --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
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


def start_server(data: Path, port: int, *, fast: bool) -> tuple[subprocess.Popen[bytes], float]:
    started = time.perf_counter()
    command = [sys.executable, "-m", "routeplan.cli.main", "--data", str(data), "serve",
               "--port", str(port), "--today", DAY.isoformat()]  # fmt: skip
    if fast:
        command.append("--fast-commits")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/healthz"
    while time.perf_counter() - started < 120:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return process, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start within 120 s")


async def rep_day(
    http: httpx.AsyncClient, rep: str, token: str, clients: list[str], out: dict[str, list]
) -> None:
    """One rep's compressed day: the check-ins one after the other."""
    headers = {"Authorization": f"Bearer {token}"}
    for n, client_id in enumerate(clients):
        key = f"{rep}-{n:03d}"
        body = {"client_id": client_id, "date": DAY.isoformat(), "status": "done",
                "client_key": key, "checked_in_at": f"{DAY}T{8 + n // 6:02d}:{n % 6 * 10:02d}:00",
                "lat": 60.2, "lon": 24.9}  # fmt: skip
        started = time.perf_counter()
        try:
            got = await http.post("/api/v1/visits", json=body, headers=headers)
        except httpx.HTTPError as exc:
            out["errors"].append(type(exc).__name__)
            continue
        out["latency"].append(time.perf_counter() - started)
        if got.status_code in (200, 201):
            out["acked"].append(f"{rep}:{key}")
        else:
            out["errors"].append(str(got.status_code))


async def run_load(
    port: int, tokens: dict[str, str], by_rep: dict[str, list[str]], concurrency: int
) -> tuple[dict[str, list], float]:
    out: dict[str, list] = {"latency": [], "acked": [], "errors": []}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    timeout = httpx.Timeout(60.0, pool=600.0)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=timeout
    ) as http:
        started = time.perf_counter()
        await asyncio.gather(*(rep_day(http, rep, tokens[rep], by_rep[rep], out) for rep in tokens))
        return out, time.perf_counter() - started


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
        f"{args.concurrency} in flight (loopback, 1 uvicorn process, "
        f"{'--fast-commits' if args.fast_commits else 'power-safe commits'})",
        "",
        "| measure | value |",
        "|---|---|",
        f"| server start (s) | {start_s:.1f} |",
        f"| requests | {sent} |",
        f"| wall time (s) | {wall:.1f} |",
        f"| requests/s | {len(lat) / wall:.0f} |",
        f"| p50 latency (ms) | {_pct(lat, 0.50):.1f} |",
        f"| p90 latency (ms) | {_pct(lat, 0.90):.1f} |",
        f"| p99 latency (ms) | {_pct(lat, 0.99):.1f} |",
        f"| max latency (ms) | {max(lat) * 1000:.1f} |",
        f"| mean latency (ms) | {statistics.fmean(lat) * 1000:.1f} |",
        f"| errors | {len(out['errors'])} {sorted(set(out['errors']))} |",
        f"| acknowledged | {len(out['acked'])} |",
        f"| acknowledged found in the store | {found} |",
        f"| lost | {len(out['acked']) - found} |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--visits", type=int, default=40, help="check-ins per rep")
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight")
    parser.add_argument(
        "--fast-commits", action="store_true", help="serve with --fast-commits (synchronous=NORMAL)"
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data, by_rep = make_world(Path(tmp), args.reps, args.visits)
        tokens = give_access(data, sorted(by_rep))
        port = _free_port()
        process, start_s = start_server(data, port, fast=args.fast_commits)
        try:
            out, wall = asyncio.run(run_load(port, tokens, by_rep, args.concurrency))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        text = report(args, start_s, out, wall, found_in_store(data, out["acked"]))
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "serve_load_fast.md" if args.fast_commits else "serve_load.md"
    (args.out / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
