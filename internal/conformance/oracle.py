#!/usr/bin/env python3
"""The conformance suite's oracle: runs cases with requests.Session.

Reads a plan as JSON on stdin, written by the Go test (oracle.go):

    {"marks": ["http://127.0.0.1:P1", "http://127.0.0.1:P2"],
     "cases": [<case with concrete URLs>, ...]}

Before each step it labels both servers with "<case>/<step>" through the
test server's mark route, so that the Go test can tell which requests each
step sent. It writes on stdout:

    {"requests": "2.34.2",
     "defaults": {"user-agent": ..., "accept-encoding": ...},
     "cases": {"<case>": [<facts of each step>, ...]}}

Standard library and requests only. Exit status 3 means requests cannot be
imported, and the Go test skips the live comparison.
"""

import http.client
import json
import sys
import urllib.parse

try:
    import requests
except ImportError as exc:  # pragma: no cover
    print(f"cannot import requests: {exc}", file=sys.stderr)
    sys.exit(3)

MARK_PATH = "/_testserver/mark"
TIMEOUT = 10


def mark(origins, label):
    """Labels the requests that follow on every server."""
    for origin in origins:
        u = urllib.parse.urlsplit(origin)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=TIMEOUT)
        try:
            conn.request("GET", MARK_PATH + "?" + urllib.parse.urlencode({"label": label}))
            resp = conn.getresponse()
            resp.read()
            if resp.status != 204:
                raise RuntimeError(f"mark {origin}: status {resp.status}")
        finally:
            conn.close()


def kv_dict(pairs):
    """[[name, value], ...] to an ordered dict; lists stay lists, null is None."""
    return {name: value for name, value in pairs}


def new_session(setup):
    s = requests.Session()
    # §5 setup: no proxies, CA bundles or netrc from the environment.
    s.trust_env = False
    for name, value in setup.get("headers", []):
        s.headers[name] = value
    for name, value in setup.get("params", []):
        s.params[name] = value
    if setup.get("auth"):
        s.auth = tuple(setup["auth"])
    for name, value in setup.get("cookies", []):
        s.cookies.set(name, value)
    if "max_redirects" in setup:
        s.max_redirects = setup["max_redirects"]
    return s


def kwargs(step):
    kw = {"timeout": TIMEOUT}
    if "headers" in step:
        kw["headers"] = kv_dict(step["headers"])
    if "params" in step:
        kw["params"] = kv_dict(step["params"])
    if "params_list" in step:
        kw["params"] = [tuple(p) for p in step["params_list"]]
    if "cookies" in step:
        kw["cookies"] = kv_dict(step["cookies"])
    if "auth" in step:
        kw["auth"] = tuple(step["auth"])
    if "data" in step:
        kw["data"] = step["data"]
    if "form" in step:
        kw["data"] = {k: v for k, v in step["form"]}
    if "json" in step:
        kw["json"] = step["json"]
    if "allow_redirects" in step:
        kw["allow_redirects"] = step["allow_redirects"]
    return kw


def describe(resp, step):
    facts = {
        "status": resp.status_code,
        "url": resp.url,
        "history": [f"{h.status_code} {h.url}" for h in resp.history],
        "next": resp.next.url if resp.next is not None else "",
    }
    if step.get("text"):
        facts["text"] = resp.text
    return facts


def run_case(case, origins):
    s = new_session(case.get("session", {}))
    out = []
    try:
        for i, step in enumerate(case["steps"]):
            mark(origins, f"{case['name']}/{i}")
            if step.get("close_before"):
                s.close()
            method = step["method"]
            try:
                if method == "HEAD" and not step.get("via_request"):
                    # s.head, whose allow_redirects defaults to False.
                    resp = s.head(step["url"], **kwargs(step))
                else:
                    resp = s.request(method, step["url"], **kwargs(step))
                facts = describe(resp, step)
            except requests.TooManyRedirects as exc:
                facts = describe(exc.response, step)
                facts["error"] = "too_many_redirects"
            except requests.RequestException as exc:
                facts = {"error": f"{type(exc).__name__}: {exc}"}
            facts["jar"] = [
                {"name": c.name, "value": c.value if c.value is not None else "",
                 "domain": c.domain, "path": c.path}
                for c in s.cookies
            ]
            out.append(facts)
    finally:
        s.close()
        mark(origins, "")
    return out


def main():
    plan = json.load(sys.stdin)
    origins = plan["marks"]
    defaults = requests.utils.default_headers()
    result = {
        "requests": requests.__version__,
        "defaults": {
            "user-agent": defaults["User-Agent"],
            "accept-encoding": defaults["Accept-Encoding"],
        },
        "cases": {c["name"]: run_case(c, origins) for c in plan["cases"]},
    }
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
