"""A small RFC 6455 WebSocket client for the end-to-end tests (stdlib only)."""
import base64
import json
import os
import socket
import struct


class Closed(Exception):
    def __init__(self, code, reason):
        super().__init__(f"closed {code} {reason}")
        self.code, self.reason = code, reason


class WebSocket:
    def __init__(self, host, port, path="/agent/ws", timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            head += chunk
        self.status = int(head.split(b" ")[1])
        if self.status != 101:
            raise ConnectionError(f"upgrade refused: {head.decode(errors='replace')}")
        self.next_id = 0
        self.events = []
        self.raw = []  # every text frame received, as sent by the server

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise Closed(1006, "connection dropped")
            data += chunk
        return data

    def send_frame(self, payload, opcode=1):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def send_text(self, text):
        self.send_frame(text.encode())

    def recv_text(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(n)
            if opcode == 8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                raise Closed(code, payload[2:].decode(errors="replace"))
            if opcode == 9:
                self.send_frame(payload, opcode=10)
                continue
            if opcode == 10:
                continue
            message += payload
            if b0 & 0x80:
                self.raw.append(message.decode())
                return self.raw[-1]

    def recv(self):
        frame = json.loads(self.recv_text())
        self._check_seq(frame)
        return frame

    def _check_seq(self, frame):
        """Every agent test checks this: on one connection, event seqs only grow. A snapshot
        shows everything up to its seq, so nothing at or below it may be pushed after it."""
        if "event" not in frame or "seq" not in frame:
            return
        last = getattr(self, "last_seq", None)
        seq = frame["seq"]
        if last is not None:
            if frame["event"] == "snapshot":
                assert seq >= last, f"snapshot at seq {seq} after an event at seq {last}"
            else:
                assert seq > last, f"event {frame['event']} at seq {seq} pushed after seq {last}"
        self.last_seq = seq

    def command(self, cmd, **args):
        """Sends a command and returns its answer; events that arrive meanwhile are kept."""
        self.next_id += 1
        self.send_text(json.dumps({"id": self.next_id, "cmd": cmd, "args": args}))
        while True:
            frame = self.recv()
            if frame.get("re") == self.next_id:
                return frame
            self.events.append(frame)

    def event(self, name, match=None):
        """Returns the next event called `name` (and matching `match`), from kept ones first."""
        for i, e in enumerate(self.events):
            if e.get("event") == name and (match is None or match(e)):
                return self.events.pop(i)
        while True:
            frame = self.recv()
            if frame.get("event") == name and (match is None or match(frame)):
                return frame
            self.events.append(frame)

    def close(self):
        try:
            self.send_frame(struct.pack("!H", 1000), opcode=8)
        except OSError:
            pass
        self.sock.close()
