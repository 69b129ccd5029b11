#!/usr/bin/env python3
"""SSE fan-out against a real Visor server: opens N idle event streams with a
manager's device token, measures the server's RSS growth per stream, then
changes one task through the API and measures how long the event takes to
reach every stream.

  bench/sse/fanout.py --url http://127.0.0.1:PORT --token TOKEN --pid PID \
      [--streams 10000] [--task 1]

Standard library only. Needs `ulimit -n` above the stream count on both sides.
"""
import argparse
import asyncio
import json
import time
import urllib.request


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def open_stream(host, port, token, ready, received, marker):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET /api/v1/events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        f"Accept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    buffered = b""
    signalled = False
    while True:
        chunk = await reader.read(4096)
        if not chunk:
            return
        buffered += chunk
        if not signalled and b"retry:" in buffered:
            signalled = True
            ready.release()
        if marker[0] and marker[0] in buffered:
            received.append(time.perf_counter())
            writer.close()
            return
        buffered = buffered[-256:]


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--streams", type=int, default=10000)
    p.add_argument("--task", type=int, default=1)
    a = p.parse_args()
    host, port = a.url.split("//")[1].split(":")
    port = int(port.rstrip("/"))

    rss_before = rss_kib(a.pid)
    ready = asyncio.Semaphore(0)
    received = []
    marker = [None]
    tasks = []
    opened = time.perf_counter()
    for i in range(a.streams):
        tasks.append(asyncio.create_task(open_stream(host, port, a.token, ready, received, marker)))
        if i % 500 == 499:
            await asyncio.sleep(0)
    for _ in range(a.streams):
        await asyncio.wait_for(ready.acquire(), timeout=120)
    opened = time.perf_counter() - opened
    await asyncio.sleep(1.0)  # let the server settle its buffers
    rss_after = rss_kib(a.pid)
    per_stream = (rss_after - rss_before) * 1024 / a.streams

    title = f"fan-out {time.time():.0f}"
    marker[0] = title.encode()
    body = json.dumps({"title": title}).encode()
    req = urllib.request.Request(f"{a.url}/api/v1/tasks/{a.task}", data=body, method="PATCH",
                                 headers={"Authorization": f"Bearer {a.token}",
                                          "Content-Type": "application/json"})
    sent = time.perf_counter()
    await asyncio.get_running_loop().run_in_executor(None, lambda: urllib.request.urlopen(req).read())
    deadline = sent + 30
    while len(received) < a.streams and time.perf_counter() < deadline:
        await asyncio.sleep(0.005)
    last = max(received) - sent if received else float("nan")
    print(f"streams opened: {a.streams} in {opened:.1f} s")
    print(f"server RSS: {rss_before} KiB -> {rss_after} KiB, {per_stream / 1024:.2f} KiB per idle stream")
    print(f"one event reached {len(received)}/{a.streams} streams; the last after {last * 1000:.0f} ms")
    for t in tasks:
        t.cancel()


if __name__ == "__main__":
    asyncio.run(main())
