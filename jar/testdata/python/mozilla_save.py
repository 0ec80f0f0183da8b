# Writes mozilla-session.txt the usual way a requests session is persisted:
# cookies a real server set, and one set with s.cookies.set, copied into an
# http.cookiejar.MozillaCookieJar and saved with ignore_discard=True so the
# session cookies are kept (with an empty expires field).
#
# Run from this directory: python3 mozilla_save.py
# (written with Python 3.11.7 and requests 2.34.2).
import http.cookiejar
import http.server
import threading

import requests


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Set-Cookie", "sid=abc123; Path=/; HttpOnly")
        self.send_header("Set-Cookie", "remember=yes; Path=/app; Secure; Expires=Fri, 01 Jan 2100 00:00:00 GMT")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=srv.serve_forever, daemon=True).start()
s = requests.Session()
s.get("http://127.0.0.1:%d/" % srv.server_port)
srv.shutdown()
s.cookies.set("theme", "dark", domain=".example.com")
s.cookies.set("lang", "en")  # no domain: sent to every host

j = http.cookiejar.MozillaCookieJar("mozilla-session.txt")
for c in s.cookies:
    j.set_cookie(c)
j.save(ignore_discard=True)

# What Python itself loads back from the file.
back = http.cookiejar.MozillaCookieJar()
back.load("mozilla-session.txt", ignore_discard=True)
for c in back:
    print(c.domain, c.path, c.secure, c.expires, c.name, c.value)
