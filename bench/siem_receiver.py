#!/usr/bin/env python3
"""A SIEM on loopback for the relay benchmark: accepts JSON-array batches, remembers every
decisionId, and answers GET /count with {"records": n, "unique": m}."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ids = set()
records = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global records
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        batch = json.loads(body)
        with lock:
            for record in batch:
                if "decisionId" in record:
                    ids.add(record["decisionId"])
                    records += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self):
        with lock:
            payload = json.dumps({"records": records, "unique": len(ids)}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
