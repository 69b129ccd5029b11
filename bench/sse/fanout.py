"""SSE fan-out against a real Visor server: opens N idle event streams with a
manager's device token, measures the server's RSS growth per stream, then
changes one task through the API and measures how long the event takes to
reach every stream.

  bench/sse/fanout.py --url http://127.0.0.1:PORT --token TOKEN --pid PID \
      [--streams 10000] [--task 1]

Standard library only. Needs `ulimit -n` above the stream count on both sides.
The client is one thread on epoll with non-blocking sockets (a few µs per
readable stream), so that the figure is the server's, not the client's: an
asyncio client spent ~150 µs of Python per stream and took 2 s to read what
the server had sent in a fraction of that.
"""
import argparse
import json
import os
import select
import socket
import threading
import time
import urllib.request


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def open_streams(host, port, token, count):
    request = (f"GET /api/v1/events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
               f"Accept: text/event-stream\r\n\r\n").encode()
    streams = {}
    for _ in range(count):
        s = socket.create_connection((host, port))
        s.sendall(request)
        s.setblocking(False)
        streams[s.fileno()] = s
    return streams


eofs = set()


def read_until(poller, pending, needle, deadline, on_found):
    """Reads every readable stream until each fd in `pending` has shown
    `needle` (calling on_found(fd, time)) or the deadline passes."""
    tails = {fd: b"" for fd in pending}
    while pending and time.perf_counter() < deadline:
        for fd, _ in poller.poll(0.05):
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if fd not in pending:
                continue
            if not chunk:
                eofs.add(fd)
                poller.unregister(fd)
                continue
            seen = tails[fd] + chunk
            if needle in seen:
                pending.discard(fd)
                on_found(fd, time.perf_counter())
            else:
                tails[fd] = seen[-len(needle):]


def main():
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
    opened = time.perf_counter()
    streams = open_streams(host, port, a.token, a.streams)
    poller = select.epoll()
    for fd in streams:
        poller.register(fd, select.EPOLLIN)
    ready = set(streams)
    read_until(poller, ready, b"retry:", time.perf_counter() + 120, lambda fd, t: None)
    if ready:
        raise SystemExit(f"{len(ready)} streams never opened")
    opened = time.perf_counter() - opened
    time.sleep(1.0)  # let the server settle its buffers
    rss_after = rss_kib(a.pid)
    per_stream = (rss_after - rss_before) * 1024 / a.streams

    title = f"fan-out {time.time():.0f}"
    body = json.dumps({"title": title}).encode()
    req = urllib.request.Request(f"{a.url}/api/v1/tasks/{a.task}", data=body, method="PATCH",
                                 headers={"Authorization": f"Bearer {a.token}",
                                          "Content-Type": "application/json"})
    received = []
    waiting = set(streams)
    sent = time.perf_counter()
    patch = threading.Thread(target=lambda: urllib.request.urlopen(req).read())
    patch.start()
    read_until(poller, waiting, title.encode(), sent + 30, lambda fd, t: received.append(t))
    patch.join()
    if waiting:
        print(f"{len(waiting)} streams saw no event in 30 s (fds {sorted(waiting)[:5]}; closed by the server: {len(eofs)})")
    last = max(received) - sent if received else float("nan")
    median = sorted(received)[len(received) // 2] - sent if received else float("nan")
    print(f"streams opened: {a.streams} in {opened:.1f} s")
    print(f"server RSS: {rss_before} KiB -> {rss_after} KiB, {per_stream / 1024:.2f} KiB per idle stream")
    print(f"one event reached {len(received)}/{a.streams} streams; half after {median * 1000:.0f} ms, "
          f"the last after {last * 1000:.0f} ms")
    for s in streams.values():
        s.close()


if __name__ == "__main__":
    main()
