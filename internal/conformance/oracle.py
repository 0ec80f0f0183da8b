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

A step's file_path parts are written to a temporary directory and sent as
open(path, 'rb'); byte strings (r.content, iter_lines, iter_content) are
written base64-encoded. Every step's facts list the response hooks that ran
("name status path"); a hook whose name ends in "!" raises after recording,
and the step's error is "hook_error". A retry policy is an HTTPAdapter with
urllib3's Retry, mounted on the session or, for one step, around the call;
digest credentials are HTTPDigestAuth.

Sessions have trust_env=False unless a case's session says true. The Go
test starts this process without the machine's proxy variables and with
NETRC naming a file that does not exist; a case's "env" (its proxy
variables and, for a case that reads the environment, NETRC) is set in
os.environ while the case runs, then the environment is put back. The
session's and a step's "proxies" are s.proxies and proxies=.

Standard library and requests only. Exit status 3 means requests cannot be
imported, and the Go test skips the live comparison.
"""

import base64
import contextlib
import http.client
import json
import os
import sys
import tempfile
import urllib.parse

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util import Retry
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


class HookFailed(Exception):
    """What a hook whose name ends in "!" raises."""


def make_hook(name, log):
    """A response hook that records "name status path" in log and, when
    name ends in "!", raises HookFailed."""

    def hook(r, *args, **kwargs):
        log.append(f"{name} {r.status_code} {urllib.parse.urlsplit(r.url).path}")
        if name.endswith("!"):
            raise HookFailed(name)

    return hook


def retry_adapter(spec):
    """HTTPAdapter(max_retries=Retry(...)) for a case's retry policy, or a
    plain HTTPAdapter (no retries) for None."""
    if spec is None:
        return HTTPAdapter()
    kw = {}
    if spec.get("methods") is not None:
        kw["allowed_methods"] = spec["methods"]
    return HTTPAdapter(max_retries=Retry(
        total=spec["attempts"] - 1,
        status_forcelist=spec["statuses"],
        backoff_factor=0,
        respect_retry_after_header=True,
        raise_on_status=False,
        **kw,
    ))


def mount_retry(s, spec):
    for prefix in ("http://", "https://"):
        s.mount(prefix, retry_adapter(spec))


def attempts(resp):
    """How many tries the response took: urllib3's retry history + 1."""
    retries = getattr(resp.raw, "retries", None)
    return len(retries.history) + 1 if retries is not None else 1


def new_session(setup, log):
    s = requests.Session()
    # §5 setup: no proxies, CA bundles or netrc from the environment,
    # unless the case says otherwise.
    s.trust_env = bool(setup.get("trust_env", False))
    if "proxies" in setup:
        s.proxies = kv_dict(setup["proxies"])
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
    if "digest" in setup:
        s.auth = requests.auth.HTTPDigestAuth(*setup["digest"])
    for name in setup.get("hooks", []):
        s.hooks["response"].append(make_hook(name, log))
    if "retry" in setup:
        mount_retry(s, setup["retry"])
    return s


def part_content(part):
    if "content_b64" in part:
        return base64.b64decode(part["content_b64"])
    return part.get("content", "").encode("utf-8")


def files_arg(step, tmpdir, stack):
    """files=[(field, (filename, content[, type[, headers]])), ...]; a
    file_path part is open(path, 'rb'), bare unless it has a type or
    headers."""
    out = []
    for k, part in enumerate(step["files"]):
        content = part_content(part)
        filename = part["filename"]
        if part.get("file_path"):
            d = os.path.join(tmpdir, str(k))
            os.makedirs(d)
            path = os.path.join(d, filename)
            with open(path, "wb") as f:
                f.write(content)
            content = stack.enter_context(open(path, "rb"))
            if "content_type" not in part and "headers" not in part:
                out.append((part["field"], content))
                continue
        value = (filename, content)
        if "content_type" in part or "headers" in part:
            value += (part.get("content_type"),)
        if "headers" in part:
            value += (part["headers"],)
        out.append((part["field"], value))
    return out


def kwargs(step, tmpdir, stack, log):
    kw = {"timeout": TIMEOUT}
    if "hooks" in step:
        kw["hooks"] = {"response": [make_hook(n, log) for n in step["hooks"]]}
    if "digest" in step:
        kw["auth"] = requests.auth.HTTPDigestAuth(*step["digest"])
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
        if step.get("data_stream"):
            kw["data"] = iter([step["data"].encode("utf-8")])
    if "data_b64" in step:
        kw["data"] = base64.b64decode(step["data_b64"])
    if "files" in step:
        kw["files"] = files_arg(step, tmpdir, stack)
    if step.get("stream"):
        kw["stream"] = True
    if "form" in step:
        kw["data"] = {k: v for k, v in step["form"]}
    if "json" in step:
        kw["json"] = step["json"]
    if "allow_redirects" in step:
        kw["allow_redirects"] = step["allow_redirects"]
    if "proxies" in step:
        kw["proxies"] = kv_dict(step["proxies"])
    return kw


def describe(resp, step):
    facts = {
        "status": resp.status_code,
        "url": resp.url,
        "history": [f"{h.status_code} {h.url}" for h in resp.history],
        "next": resp.next.url if resp.next is not None else "",
    }
    if step.get("encoding"):
        facts["encoding"] = resp.encoding or ""
    if step.get("attempts"):
        facts["attempts"] = attempts(resp)
    if step.get("request_framing"):
        facts["request_framing"] = [framing(r.request.headers) for r in [*resp.history, resp]]
    if step.get("text") or step.get("text_json"):
        facts["text"] = resp.text
    if step.get("content"):
        facts["content"] = b64(resp.content)
    if "iter_lines" in step:
        opts = step["iter_lines"]
        kw = {}
        if opts.get("chunk_size"):
            kw["chunk_size"] = opts["chunk_size"]
        if opts.get("delimiter") is not None:
            kw["delimiter"] = opts["delimiter"].encode("utf-8")
        if opts.get("decode_unicode"):
            kw["decode_unicode"] = True
        facts["lines"] = [b64(line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line)
                          for line in resp.iter_lines(**kw)]
    if "iter_content" in step:
        size = step["iter_content"]["chunk_size"]
        facts["chunks"] = [b64(c) for c in resp.iter_content(chunk_size=size)]
    return facts


def framing(headers):
    """The Content-Length and Transfer-Encoding lines of a request's
    headers, as Go's test side writes them."""
    return [f"{k}: {headers[k]}" for k in ("Content-Length", "Transfer-Encoding") if k in headers]


def wire_value(value):
    """A jar value as its bytes go on the wire. http.client decodes header
    bytes as latin-1, so a server's UTF-8 value sits in the jar as latin-1
    mojibake; requests sends it encoded as latin-1 again, the bytes the
    server sent. Record those bytes (as UTF-8 text when they are UTF-8)."""
    if value is None:
        return ""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def b64(data):
    return base64.b64encode(data).decode("ascii")


@contextlib.contextmanager
def call_retry(s, step):
    """Mounts the step's retry policy (requests has none per call) for the
    call, and puts the session's adapters back after."""
    if "retry" not in step and not step.get("no_retry"):
        yield
        return
    saved = s.adapters.copy()
    mount_retry(s, step.get("retry"))
    try:
        yield
    finally:
        for prefix in ("http://", "https://"):
            s.adapters[prefix].close()
        s.adapters = saved


@contextlib.contextmanager
def case_env(pairs):
    """Sets the case's environment variables, and puts os.environ back
    after."""
    saved = dict(os.environ)
    try:
        for name, value in pairs:
            os.environ[name] = value
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_case(case, origins):
    with case_env(case.get("env", [])):
        return run_case_steps(case, origins)


def run_case_steps(case, origins):
    log = []
    s = new_session(case.get("session", {}), log)
    out = []
    try:
        for i, step in enumerate(case["steps"]):
            mark(origins, f"{case['name']}/{i}")
            if step.get("close_before"):
                s.close()
            method = step["method"]
            log.clear()
            try:
                with tempfile.TemporaryDirectory() as tmpdir, contextlib.ExitStack() as stack, \
                        call_retry(s, step):
                    kw = kwargs(step, tmpdir, stack, log)
                    if method == "HEAD" and not step.get("via_request"):
                        # s.head, whose allow_redirects defaults to False.
                        resp = s.head(step["url"], **kw)
                    else:
                        resp = s.request(method, step["url"], **kw)
                    try:
                        facts = describe(resp, step)
                    finally:
                        if step.get("stream"):
                            # A streamed body not read to its end.
                            resp.close()
            except requests.TooManyRedirects as exc:
                facts = describe(exc.response, step)
                facts["error"] = "too_many_redirects"
            except HookFailed:
                facts = {"error": "hook_error"}
            except requests.exceptions.UnrewindableBodyError:
                facts = {"error": "body_not_replayable"}
            except requests.RequestException as exc:
                facts = {"error": f"{type(exc).__name__}: {exc}"}
            facts["hooks"] = list(log)
            facts["jar"] = [
                {"name": c.name, "value": wire_value(c.value),
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
