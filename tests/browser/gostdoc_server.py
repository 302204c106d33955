"""Starts `gostdoc serve DATA --port 0` for the browser tests
(serve_test.py in Chromium, serve_firefox.py in Firefox) and returns the
process and the address it printed."""

import re
import subprocess


def start_server(binary, data):
    server = subprocess.Popen(
        [binary, "serve", str(data), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = server.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        server.kill()
        raise SystemExit(f"the server printed no address: {line!r} {server.stderr.read()!r}")
    return server, found.group(0)
