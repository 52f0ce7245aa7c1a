# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""A bounded closed-loop HTTP load generator (standard library only).

`connections` threads each hold one keep-alive HTTP/1.1 connection and
send the next request as soon as the previous answer has been read. The
first `warmup` seconds are not measured, so every connection is in its
steady state when the window opens; the window then lasts `duration`
seconds. Requests that complete inside the window count: RPS is their
number divided by the window, p50/p99 are taken from their latencies.
Nothing is sent once the window has closed, and each thread stops after
the request it has in flight (bounded by `timeout`).

For slow requests (seconds each) a time window holds too few of them to
be fair, so `run(..., count=N)` instead has every connection send exactly
N requests: RPS is their number divided by the time from the first send
to the last answer, and every latency counts.
"""

import http.client
import itertools
import threading
import time


class Result:
    def __init__(self, latencies, window, errors, statuses, bytes_read,
                 total):
        self.latencies = sorted(latencies)
        self.total = total  # completed requests, warm-up included
        self.window = window
        self.errors = errors
        self.statuses = statuses
        self.bytes_read = bytes_read

    @property
    def requests(self):
        return len(self.latencies)

    @property
    def rps(self):
        return self.requests / self.window if self.window else 0.0

    def percentile(self, p):
        """Nearest-rank percentile of the latencies, in seconds."""
        if not self.latencies:
            return float('nan')
        rank = max(1, -(-len(self.latencies) * p // 100))
        return self.latencies[int(rank) - 1]

    def as_dict(self):
        return {'requests': self.requests, 'window_s': self.window,
                'rps': self.rps, 'p50_ms': self.percentile(50) * 1000,
                'p99_ms': self.percentile(99) * 1000,
                'errors': self.errors, 'statuses': self.statuses}


def connect(port, connections, accept=None, timeout=120.0, tries=50,
            host='127.0.0.1'):
    """Open the keep-alive connections of a run.

    `accept(n)`, when given, says whether the server spread the `n` open
    connections as wanted; if not they are closed and opened again (at
    most `tries` times).
    """
    if host not in ('127.0.0.1', 'localhost', '::1'):
        raise ValueError('the load generator only targets loopback')
    for _ in range(tries):
        conns = [http.client.HTTPConnection(host, port, timeout=timeout)
                 for _ in range(connections)]
        for conn in conns:
            conn.connect()
        if accept is None or accept(connections):
            return conns
        for conn in conns:
            conn.close()
    raise RuntimeError('the connections could not be spread as wanted')


def run(port, make_request, expected_status, connections=4, warmup=2.0,
        duration=10.0, count=None, timeout=120.0, host='127.0.0.1',
        accept=None):
    """Drive http://host:port with `connections` keep-alive clients.

    `make_request(n)` returns (method, path, headers, body) for the n-th
    request of the run (n counts from 0 across all threads). With `count`
    each connection sends that many requests and `warmup`/`duration` only
    bound the run. `accept` is handed to connect().
    """
    conns = connect(port, connections, accept, timeout, host=host)
    counter = itertools.count()
    start = time.monotonic()
    if count:
        window_open = start
        window_close = start + warmup + duration
    else:
        window_open = start + warmup
        window_close = window_open + duration
    last = [start]
    lock = threading.Lock()
    latencies = []
    statuses = {}
    errors = []
    read = [0]
    total = [0]

    def client(conn):
        sent_here = 0
        try:
            while True:
                sent = time.monotonic()
                if sent >= window_close or (count and sent_here >= count):
                    return
                sent_here += 1
                method, path, headers, body = make_request(next(counter))
                try:
                    conn.request(method, path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        errors.append(repr(exc))
                    conn.close()
                    conn = http.client.HTTPConnection(host, port,
                                                      timeout=timeout)
                    continue
                done = time.monotonic()
                with lock:
                    total[0] += 1
                    last[0] = max(last[0], done)
                if not window_open <= done <= window_close:
                    continue
                with lock:
                    statuses[resp.status] = statuses.get(resp.status, 0) + 1
                    read[0] += len(data)
                    if resp.status == expected_status:
                        latencies.append(done - sent)
                    elif len(errors) < 20:
                        errors.append('%s %s -> %s %s' % (
                            method, path, resp.status, data[:200]))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(conn,), daemon=True)
               for conn in conns]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=warmup + duration + timeout)
    window = (last[0] - start) if count else duration
    return Result(latencies, window, errors, statuses, read[0], total[0])
