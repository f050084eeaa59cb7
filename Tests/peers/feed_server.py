"""A small HTTP server for feeds in the tests: serves a folder from 127.0.0.1, counts
requests, and honours conditional GETs (ETag and Last-Modified, answered 304) as real
sites do; gzip when asked. Special paths misbehave on purpose: /loop redirects to itself,
/silent accepts the request and never answers. With `tls`, HTTPS with that certificate."""
import email.utils
import gzip
import hashlib
import http.server
import pathlib
import ssl
import threading


class FeedServer:
    def __init__(self, root, tls=None):
        self.root = pathlib.Path(root)
        self.lock = threading.Lock()
        self.log = []  # (path, status) of every request, in order
        self.gzip = True
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                if path == "/loop":
                    return self.answer(302, path, headers={"Location": "/loop"})
                if path == "/silent":
                    server.note(path, 0)
                    threading.Event().wait(120)  # never answers while the test runs
                    return
                file = (server.root / path.lstrip("/")).resolve()
                if not file.is_file() or server.root.resolve() not in file.parents:
                    return self.answer(404, path)
                body = file.read_bytes()
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                modified = email.utils.formatdate(file.stat().st_mtime, usegmt=True)
                headers = {"ETag": etag, "Last-Modified": modified, "Content-Type": server.content_type(file)}
                if self.headers.get("If-None-Match") == etag:
                    return self.answer(304, path, headers=headers)
                if self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") == modified:
                    return self.answer(304, path, headers=headers)
                if server.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                    body = gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                self.answer(200, path, body, headers)

            def answer(self, status, path, body=b"", headers=None):
                server.note(path, status)
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.scheme = "http"
        if tls:  # (cert, key): HTTPS with that certificate
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def content_type(file):
        return {".xml": "application/xml", ".json": "application/feed+json", ".html": "text/html"}.get(file.suffix,
                                                                                                      "application/octet-stream")

    def note(self, path, status):
        with self.lock:
            self.log.append((path, status))

    def requests(self):
        with self.lock:
            return list(self.log)

    def url(self, path):
        return f"{self.scheme}://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
