"""Differential oracle for internal/proxyenv: what requests does.

Reads a JSON object {"env_cases": [...], "proxy_urls": [...]} on stdin and
writes one JSON object with a result per case, in order.

An env case is {"env": [[name, value], ...], "url": str, "no_proxy": str or
null, "proxies": {str: str}}. os.environ is set to exactly that env (every
*_proxy variable, in any case, and REQUEST_METHOD removed first, then the
case's variables added in order) and the case answers with
get_environ_proxies(url, no_proxy), should_bypass_proxies(url, no_proxy),
select_proxy(url, proxies) and resolve_proxies(request, proxies, True).

A proxy URL is what the adapter does with a value select_proxy returned:
prepend_scheme_if_needed(value, "http"), parse_url, the host check, and the
proxy manager's scheme check.
"""

import json
import os
import sys
import types

import requests.utils as ru
from urllib3.util import parse_url


def clear_env():
    for name in list(os.environ):
        if name.lower().endswith("_proxy") or name == "REQUEST_METHOD":
            del os.environ[name]


def attempt(fn):
    try:
        return {"value": fn()}
    except Exception as e:  # noqa: BLE001 - the oracle reports any failure
        return {"error": type(e).__name__ + ": " + str(e)}


def env_case(case):
    clear_env()
    for name, value in case["env"]:
        os.environ[name] = value
    url = case["url"]
    no_proxy = case.get("no_proxy")
    proxies = case.get("proxies") or {}
    out = {
        "environ_proxies": attempt(lambda: ru.get_environ_proxies(url, no_proxy=no_proxy)),
        "bypass": attempt(lambda: ru.should_bypass_proxies(url, no_proxy=no_proxy)),
        "select": attempt(lambda: ru.select_proxy(url, dict(proxies))),
        "resolve": attempt(
            lambda: ru.resolve_proxies(types.SimpleNamespace(url=url), dict(proxies), True)
        ),
    }
    clear_env()
    return out


def proxy_url(value):
    proxy = ru.prepend_scheme_if_needed(value, "http")
    parsed = parse_url(proxy)
    if not parsed.host:
        raise ValueError("InvalidProxyURL")
    if proxy.lower().startswith("socks"):
        if parsed.scheme not in ("socks4", "socks4a", "socks5", "socks5h"):
            raise ValueError("Unable to determine SOCKS version")
    elif parsed.scheme not in ("http", "https"):
        raise ValueError("ProxySchemeUnknown")
    host = parsed.host
    if parsed.port is not None:
        host += ":" + str(parsed.port)
    # The credentials requests sends: HTTPAdapter.proxy_headers needs a user;
    # PySocks offers user/password authentication only with both.
    user, password = ru.get_auth_from_url(proxy)
    if proxy.lower().startswith("socks"):
        if not (user and password):
            user = password = ""
    elif not user:
        user = password = ""
    return {"scheme": parsed.scheme, "host": host, "user": user, "password": password}


def main():
    cases = json.load(sys.stdin)
    result = {
        "env_cases": [env_case(c) for c in cases.get("env_cases") or []],
        "proxy_urls": [attempt(lambda v=v: proxy_url(v)) for v in cases.get("proxy_urls") or []],
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
