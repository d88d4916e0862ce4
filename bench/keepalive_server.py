"""The bench's own minimal keep-alive HTTP/1.1 server: every POST gets the same JSON, one
that both connect and disconnect accept; GET /_stats answers {"connections": N} (TCP
connections accepted since the start or the last POST /_reset).

    python bench/keepalive_server.py URL_FILE
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = json.dumps({"data": {
    "connect": {"id": "00000000-0000-0000-0000-000000000000", "host": "127.0.0.1", "port": 33000,
                "reverseProxy": False, "url": "", "created": "2024-01-01T00:00:00Z", "timeout": 30},
    "disconnect": True,
}}).encode()
connections = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK stall

    def setup(self):
        global connections
        connections += 1
        super().setup()

    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        global connections
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/_reset":
            connections = 0
        self.reply(ANSWER)

    def do_GET(self):
        self.reply(json.dumps({"connections": connections}).encode())

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(f"http://127.0.0.1:{server.server_address[1]}/graphql/v1")
    server.serve_forever()


if __name__ == "__main__":
    main()
