"""Starts the real `parley serve` for end-to-end tests and talks to it over HTTP."""
import os
import re
import signal
import socket
import subprocess
import tempfile
import textwrap
import time
import urllib.error
import urllib.request

PARLEY = os.environ["PARLEY_BIN"]
TEST_PLUGIN_DIR = os.environ.get("PARLEY_TEST_PLUGIN_DIR", "")


# The four feature plugins with their defaults.
ALL_PLUGINS = """
[plugins.whatsapp]
[plugins.masking]
[plugins.transfer]
[plugins.wrapup]
"""


def write_config(text, folder=None):
    folder = folder or tempfile.mkdtemp(prefix="parley-e2e-")
    path = os.path.join(folder, "parley.toml")
    with open(path, "w") as f:
        f.write(textwrap.dedent(text))
    return path


class Server:
    """`parley serve --config F` on a free port; stop() sends SIGTERM."""

    def __init__(self, config_text, args=(), port=0, folder=None):
        """`folder` reuses an earlier server's folder, database included (a restart)."""
        self.folder = folder or tempfile.mkdtemp(prefix="parley-e2e-")
        body = textwrap.dedent(config_text)
        if "[server]" not in body:
            body = "[server]\n" + body
        body = body.replace("[server]", f"[server]\nport = {port}\nlisten = \"127.0.0.1\"", 1)
        if "[store]" not in body:  # every server gets its own database in its folder
            body += "\n[store]\npath = \"parley.db\"\n"
        self.config = write_config(body, self.folder)
        self.stderr_path = os.path.join(self.folder, "stderr.log")
        with open(self.stderr_path, "w") as err:
            self.proc = subprocess.Popen([PARLEY, "serve", "--config", self.config, *args],
                                         stdout=subprocess.PIPE, stderr=err, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)/", line)
        if not match:
            self.proc.wait(timeout=10)
            raise RuntimeError(f"parley serve did not start: {line!r}\n{self.stderr()}")
        self.host, self.port = match.group(1), int(match.group(2))
        self.url = f"http://{self.host}:{self.port}"

    def rewrite_config(self, config_text):
        """Replaces the config file, keeping this server's port and database."""
        body = textwrap.dedent(config_text)
        if "[server]" not in body:
            body = "[server]\n" + body
        body = body.replace("[server]", f"[server]\nport = {self.port}\nlisten = \"127.0.0.1\"", 1)
        if "[store]" not in body:
            body += "\n[store]\npath = \"parley.db\"\n"
        with open(self.config, "w") as f:
            f.write(body)

    def stderr(self):
        with open(self.stderr_path) as f:
            return f.read()

    def get(self, path, headers=None, data=None, method=None):
        req = urllib.request.Request(self.url + path, headers=headers or {}, data=data, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), dict(e.headers)

    def connect(self):
        return socket.create_connection((self.host, self.port), timeout=10)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


def run(*args, timeout=60, input=None):
    """`parley ARGS`; `input` (text) is piped to its stdin when given."""
    return subprocess.run([PARLEY, *args], capture_output=True, text=True, timeout=timeout, input=input)


def read_until_closed(sock, limit=5.0):
    """Reads until the peer closes; returns (bytes, seconds). Raises on timeout."""
    start = time.monotonic()
    data = b""
    sock.settimeout(limit)
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return data, time.monotonic() - start
        data += chunk
