"Shared fixtures: the Hansen data mirror ($CONNMOD_DATA) and a throwaway HTTP server on 127.0.0.1."
import os, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
import pytest


@pytest.fixture(scope='session')
def mirror():
    "The read-only Hansen data mirror that $CONNMOD_DATA points at."
    root = os.environ.get('CONNMOD_DATA')
    if not root or not (Path(root)/'data'/'Schaefer400').is_dir():
        pytest.fail('set CONNMOD_DATA to the Hansen data mirror (../shared/data/hansen_manynetworks)')
    return Path(root)


@pytest.fixture
def http_server():
    """Serve `routes` (path -> (bytes, how)) on 127.0.0.1; `how` is 'ok', or 'drop' to announce the full
    length, send half the bytes and close the connection."""
    routes = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args): pass
        def do_GET(self):
            if self.path not in routes: self.send_error(404); return
            body, how = routes[self.path]
            self.send_response(200)
            self.send_header('Content-Type', 'application/gzip')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body if how == 'ok' else body[:len(body)//2])
            if how == 'drop': self.close_connection = True

    server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f'http://127.0.0.1:{server.server_address[1]}', routes
    server.shutdown(); server.server_close()
