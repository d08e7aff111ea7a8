"""Open-loop HTTP traffic for benchmarks/load.py.

A minimal asyncio HTTP/1.1 client (keep-alive pools, Content-Length and chunked bodies) and
fixed-rate request streams. Each request has a scheduled send time (start + i / rate) and is
sent then whether or not earlier ones have answered; its latency is counted from that
scheduled time, so a server that falls behind shows up as latency (or as requests dropped
when too many are in flight) instead of quietly lowering the offered rate.
"""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"


class Pool:
    """Keep-alive connections to one server, at most `limit` in use at once."""

    def __init__(self, port, limit=64, timeout=10.0):
        self.port = port
        self.idle = []
        self.slots = asyncio.Semaphore(limit)
        self.timeout = timeout

    async def request(self, method, path, headers=None, body=b""):
        """(status, headers as {lower-case name: [values]}, body bytes)."""
        async with self.slots:
            return await asyncio.wait_for(self._request(method, path, headers or {}, body), self.timeout)

    async def _request(self, method, path, headers, body):
        reused = bool(self.idle)
        conn = self.idle.pop() if reused else await asyncio.open_connection(HOST, self.port)
        try:
            status, response_headers, data, keep = await _exchange(conn, self.port, method, path, headers, body)
        except (ConnectionError, asyncio.IncompleteReadError):
            conn[1].close()
            if not reused:
                raise
            # The server closed an idle keep-alive connection just as we reused it: once more, fresh.
            conn = await asyncio.open_connection(HOST, self.port)
            status, response_headers, data, keep = await _exchange(conn, self.port, method, path, headers, body)
        except BaseException:
            conn[1].close()
            raise
        if keep:
            self.idle.append(conn)
        else:
            conn[1].close()
        return status, response_headers, data

    def close(self):
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


async def _exchange(conn, port, method, path, headers, body):
    reader, writer = conn
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("connection closed before the response")
    status = int(status_line.split()[1])
    response_headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        response_headers.setdefault(name.strip().lower(), []).append(value.strip())
    data, keep = await _body(reader, response_headers, method, status)
    if response_headers.get("connection", [""])[0].lower() == "close":
        keep = False
    return status, response_headers, data, keep


async def _body(reader, headers, method, status):
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return b"", True
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"][0])), True
    if headers.get("transfer-encoding", [""])[0].lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return b"".join(chunks), True
            chunks.append(chunk[:-2])
    return await reader.read(), False  # delimited by the connection closing


def cookie_from(headers, name="session"):
    """The `name=value` pair of a Set-Cookie header, or None."""
    for value in headers.get("set-cookie", []):
        if value.startswith(name + "="):
            return value.split(";", 1)[0]
    return None


@dataclass
class Stats:
    """What one stream saw: latencies from scheduled time, answers by status, failures by kind."""

    expected: tuple
    latencies: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # timeouts, connection errors, dropped
    ok: int = 0

    def record(self, latency, status):
        self.latencies.append(latency)
        self.statuses[status] += 1
        if status in self.expected:
            self.ok += 1

    @property
    def errors(self):
        unexpected = sum(n for status, n in self.statuses.items() if status not in self.expected)
        return unexpected + sum(self.failures.values())


async def run_stream(start, rate, duration, call, stats, max_in_flight=200):
    """Call `call(i)` at start + i / rate for `duration` seconds, without waiting for answers.

    `call` returns the HTTP status. A request that would exceed `max_in_flight` is not sent and
    counts as dropped: the server is not keeping up with the offered rate.
    """
    loop = asyncio.get_running_loop()
    tasks = set()
    for i in range(int(rate * duration)):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(tasks) >= max_in_flight:
            stats.failures["dropped (too many in flight)"] += 1
            continue
        task = asyncio.ensure_future(_timed(call, i, due, stats))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.gather(*tasks)


async def _timed(call, i, due, stats):
    loop = asyncio.get_running_loop()
    try:
        status = await call(i)
    except TimeoutError:
        stats.failures["timeout"] += 1
        return
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        stats.failures[exc.__class__.__name__] += 1
        return
    stats.record(loop.time() - due, status)


def percentile(values, q):
    """The q-th percentile (0-100) by the nearest-rank method; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 100)))  # ceil(q/100 * n)
    return ordered[min(rank, len(ordered)) - 1]


def cpu_seconds():
    """CPU time of this process so far (user + system)."""
    return time.process_time()
