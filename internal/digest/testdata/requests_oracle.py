# Builds requests' HTTPDigestAuth Authorization values for the cases given
# as JSON on stdin; prints one list per case (a header, or null where
# requests sends none) as JSON on stdout.
#
# The cnonce is made deterministic by replacing the module-level names that
# requests.auth's build_digest_header uses for it, time.ctime() and
# os.urandom(8), in requests.auth only; the rule itself is left as it is:
#     sha1(str(nc) + nonce + time.ctime() + os.urandom(8)).hexdigest()[:16]
import json
import re
import sys
import types

import requests.auth as ra
from requests.utils import parse_dict_header

cfg = json.load(sys.stdin)
urandom = bytes.fromhex(cfg["urandom"])
ra.time = types.SimpleNamespace(ctime=lambda: cfg["ctime"])
ra.os = types.SimpleNamespace(urandom=lambda n: urandom[:n])

# handle_401 strips the first "digest " and reads the rest as a dict header.
pat = re.compile(r"digest ", flags=re.IGNORECASE)

out = []
for case in cfg["cases"]:
    auth = ra.HTTPDigestAuth(case["username"], case["password"])
    auth.init_per_thread_state()
    headers = []
    for step in case["steps"]:
        header = None
        if step.get("challenge") is not None:
            # handle_401: a 401 with a challenge, answered at once.
            auth._thread_local.chal = parse_dict_header(
                pat.sub("", step["challenge"], count=1)
            )
            header = auth.build_digest_header(step["method"], step["url"])
        elif auth._thread_local.last_nonce:
            # __call__: a later request, answered with the saved challenge.
            header = auth.build_digest_header(step["method"], step["url"])
        headers.append(header)
    out.append(headers)
json.dump(out, sys.stdout)
