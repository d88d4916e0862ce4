"""Signing through the Python binding against the seed's Python signing and Python's hmac.

Run by `make bench` with the bench venv (.venv-bench: requests, requests-http-signature 0.7.1,
http-message-signatures 0.4.4) and REMOTEIT_LIBRARY set. Prints, per round,
"binding_ns seed_ns hmac_ns", each the CPU time (time.thread_time) per signature:

  binding: remoteit.Credentials.sign, draft-cavage, fixed time
  seed:    requests-http-signature's HTTPSignatureAuth (algorithm HMAC_SHA256) signing a
           prepared requests.PreparedRequest, as its README shows (RFC 9421, with its
           Content-Digest of the body)
  hmac:    hmac over the same draft-cavage signing string from a precomputed key state,
           plus base64 of the tag

    python bench/sign_bench.py BODY_BYTES ITERATIONS ROUNDS
"""

import base64
import hashlib
import hmac
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bindings", "python"))

import remoteit  # noqa: E402
import requests  # noqa: E402
from requests_http_signature import HTTPSignatureAuth, algorithms  # noqa: E402

KEY_ID = "EXAMPLEKEYID00000000"
SECRET = "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE="
URL = "https://api.remote.it/graphql/v1"
UNIX_TIME = 1_700_000_000


def per_call_ns(iterations, call):
    started = time.thread_time_ns()
    for _ in range(iterations):
        call()
    return (time.thread_time_ns() - started) / iterations


def main():
    body_len, iterations, rounds = (int(a) for a in sys.argv[1:4])
    body = bytes(ord("a") + i % 26 for i in range(body_len))
    credentials = remoteit.Credentials(KEY_ID, SECRET)
    secret = base64.b64decode(SECRET)
    auth = HTTPSignatureAuth(key=secret, key_id=KEY_ID, signature_algorithm=algorithms.HMAC_SHA256)
    prepared = requests.Request("POST", URL, data=body, headers={"Content-Type": "application/json"}).prepare()
    text = remoteit.signing_string("POST", URL, "application/json", len(body), UNIX_TIME).encode()
    key_state = hmac.new(secret, digestmod=hashlib.sha256)

    def binding():
        credentials.sign(remoteit.Scheme.CAVAGE, "POST", URL, "application/json", body, UNIX_TIME)

    def seed():
        request = prepared.copy()
        auth(request)

    def python_hmac():
        mac = key_state.copy()
        mac.update(text)
        base64.b64encode(mac.digest())

    contenders = (binding, seed, python_hmac)
    for warm in contenders:
        per_call_ns(max(1, iterations // 10), warm)
    for _ in range(rounds):
        print(" ".join(f"{per_call_ns(iterations, c):.1f}" for c in contenders), flush=True)


if __name__ == "__main__":
    main()
