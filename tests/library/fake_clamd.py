"""A tiny clamd on loopback that speaks INSTREAM: it finds the EICAR test signature and nothing else.

Real clamd needs signature databases we cannot download here; this fake answers exactly as clamd does
("stream: OK", "stream: Eicar-Test-Signature FOUND"), so the client, the protocol and our handling of each answer
are all exercised for real over a socket.
"""

import socketserver
import struct
import threading

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        command = self.rfile.readline(64) if self.server.newline_commands else b""
        if not command.strip(b"\0\n").endswith(b"INSTREAM"):
            self.wfile.write(b"UNKNOWN COMMAND\n")
            return
        received = bytearray()
        while True:
            header = self.rfile.read(4)
            if len(header) < 4:
                return
            (length,) = struct.unpack("!L", header)
            if length == 0:
                break
            received += self.rfile.read(length)
        self.server.scanned.append(bytes(received))
        if self.server.answer_error:
            self.wfile.write(b"stream: Can't allocate memory ERROR\n")
        elif EICAR in received:
            self.wfile.write(b"stream: Eicar-Test-Signature FOUND\n")
        else:
            self.wfile.write(b"stream: OK\n")


class FakeClamd(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    newline_commands = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.scanned: list[bytes] = []
        self.answer_error = False
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"tcp://{host}:{port}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
