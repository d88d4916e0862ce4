#!/usr/bin/env python3
"""The secrets scan: what the test suites showed must hold no secret and no signature.

    tests/secrets_scan.py TRANSCRIPT_DIR     scan the transcripts of a test run
    tests/secrets_scan.py --self-test        show that the scan catches what it must

scripts/test.sh sets ``REMOTEIT_TEST_TRANSCRIPT`` to a fresh folder for every suite. There the
suites' test helpers append, one ``KIND<TAB>TEXT`` line each (newlines made spaces), every
error message they obtain, every log line the library delivers to them and the
Debug/ToString/repr of the objects they make (``SUITE.PID.log``: ``rust``, ``c-core``,
``c-abuse``, ``c-client``, ``python``, ``csharp``; ``cli`` has the output of each failing
command of tests/cli_test.sh), and every API double records every
signature it received (``double-signatures.PID.txt``, see SignatureLog in tests/api_double.py).

The scan fails when a transcript line holds

* a secret of the test keys (the ``R3_SECRET_ACCESS_KEY`` of tests/data/*credentials and
  examples/demo/credentials, and the keys of the known-answer vectors tests/data/*.json): its
  base64 text, its URL-safe form, either with or without padding or split by whitespace, its
  bytes in hex, or its bytes as text when they are printable;
* a signature a double received: standard or URL-safe base64, with or without padding, or split
  by whitespace;

and when the transcripts are too thin to mean anything: a suite missing or with fewer lines of
a kind than MINIMUM says (a broken hook must not let the scan pass on nothing), or fewer than
MIN_SIGNATURES signatures recorded. It prints how many lines of how many suites and how many
signatures and secrets it checked.
"""

from __future__ import annotations

import base64
import binascii
import collections
import glob
import hashlib
import json
import os
import re
import sys
import tempfile
from typing import Dict, Iterable, List, Set, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The fewest lines of each kind each suite must have written (about half of what a run writes).
MINIMUM: Dict[str, Dict[str, int]] = {
    "rust": {"error": 40, "debug": 40, "log": 5},
    "c-core": {"error": 90},
    "c-abuse": {"error": 80},
    "c-client": {"error": 50, "log": 500},
    "python": {"error": 200, "repr": 200, "log": 80},
    "csharp": {"error": 50, "tostring": 80, "log": 3},
    "cli": {"error": 15},
}
MIN_SIGNATURES = 100

BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}")
WHITESPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    """``text`` with the URL-safe base64 alphabet read as the standard one."""
    return text.replace("-", "+").replace("_", "/")


class Needles:
    """What must not appear: each secret's forms, and each signature (as its base64 core in the
    standard alphabet, found in either alphabet by normalizing the haystack)."""

    def __init__(self) -> None:
        self.public: Set[str] = set()  # the key ids: a secret's bytes read as text may be one
        self.secrets: List[Tuple[str, List[str], List[str]]] = []  # (name, base64 cores, literal forms)
        self.signatures: Dict[int, Set[str]] = collections.defaultdict(set)  # core length -> cores

    def add_secret(self, name: str, secret: bytes, base64_text: str = "") -> None:
        cores = {_normal(base64_text.strip()).rstrip("=")} if base64_text else set()
        cores.add(base64.b64encode(secret).decode().rstrip("="))
        literal = {secret.hex(), secret.hex().upper()}
        try:
            text = secret.decode("ascii")
            if len(text) >= 16 and text.isprintable() and text not in self.public:
                literal.add(text)
        except UnicodeDecodeError:
            pass
        entry = (name, sorted(c for c in cores if len(c) >= 16), sorted(literal))
        if all(entry[1:] != known[1:] for known in self.secrets):
            self.secrets.append(entry)

    def add_signature(self, value: str) -> bool:
        core = _normal(value.strip()).rstrip("=")
        try:
            raw = base64.b64decode(core + "=" * (-len(core) % 4), validate=True)
        except (binascii.Error, ValueError):
            return False
        if len(raw) < 16 or not raw.strip(b"\0"):
            return False
        self.signatures[len(core)].add(core)
        return True

    def signature_count(self) -> int:
        return sum(len(cores) for cores in self.signatures.values())

    def find(self, line: str) -> List[str]:
        """What of the needles ``line`` shows, as it is or with its whitespace removed."""
        found = []
        variants = [line, WHITESPACE.sub("", line)]
        for name, cores, literal in self.secrets:
            if any(core in _normal(v) for core in cores for v in variants):
                found.append(f"the secret of {name} (base64)")
            if any(form in line for form in literal):
                found.append(f"the secret of {name} (its bytes)")
        for variant in variants:
            for run in BASE64_RUN.findall(_normal(variant)):
                for length, cores in self.signatures.items():
                    hits = {run[i:i + length] for i in range(len(run) - length + 1)} & cores
                    found.extend(f"the signature {hit}" for hit in sorted(hits))
        return sorted(set(found))


def _credentials_secrets(path: str) -> Iterable[Tuple[str, str]]:
    with open(path, encoding="utf-8", errors="replace") as file:
        for number, line in enumerate(file, 1):
            key, sep, value = line.partition("=")
            if sep and key.strip().upper() == "R3_SECRET_ACCESS_KEY" and value.strip():
                yield f"{os.path.relpath(path, ROOT)}:{number}", value.strip()


def _credentials_key_ids(path: str) -> Iterable[str]:
    with open(path, encoding="utf-8", errors="replace") as file:
        for line in file:
            key, sep, value = line.partition("=")
            if sep and key.strip().upper() == "R3_ACCESS_KEY_ID":
                yield value.strip()


def _vector_secrets(path: str, key_ids: Set[str]) -> Iterable[Tuple[str, bytes, str]]:
    """(name, secret bytes, base64 text or "") of every key in a vector file; adds its key ids
    to ``key_ids``."""
    def walk(value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str) and key in ("keyid", "key_id", "access_key_id"):
                    key_ids.add(item)
                if isinstance(item, str) and key in ("shared_secret_base64", "secret_access_key"):
                    yield where + key, base64.b64decode(item), item
                elif isinstance(item, str) and key == "key_ascii":
                    yield where + key, item.encode(), ""
                else:
                    yield from walk(item, f"{where}{key}.")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{where}{index}.")
    with open(path, encoding="utf-8") as file:
        found = list(walk(json.load(file), ""))
    for name, secret, text in found:
        yield f"{os.path.relpath(path, ROOT)}:{name}", secret, text


def test_secrets(needles: Needles) -> int:
    """Adds the secrets of the test keys; returns how many."""
    files = sorted(glob.glob(os.path.join(ROOT, "tests/data/*credentials")))
    files.append(os.path.join(ROOT, "examples/demo/credentials"))
    vectors = sorted(glob.glob(os.path.join(ROOT, "tests/data/*.json")))
    found: List[Tuple[str, bytes, str]] = []
    for path in files:
        needles.public.update(_credentials_key_ids(path))
        found += [(name, base64.b64decode(text), text) for name, text in _credentials_secrets(path)]
    for path in vectors:
        found += _vector_secrets(path, needles.public)
    for name, secret, text in found:
        needles.add_secret(name, secret, text)
    return len(found)


def read_signatures(folder: str, needles: Needles) -> Tuple[int, int]:
    """Adds the signatures the doubles recorded; returns (files, header lines)."""
    files = sorted(glob.glob(os.path.join(folder, "double-signatures.*.txt")))
    headers = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as file:
            for line in file:
                name, _, value = line.rstrip("\n").partition("\t")
                if name == "value":
                    needles.add_signature(value)
                else:
                    headers += 1
    return len(files), headers


def scan(folder: str, needles: Needles, out=sys.stdout) -> bool:
    """Scans the transcripts of ``folder``; prints the figures and what it found; True when clean
    and complete."""
    counts: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    problems: List[str] = []
    for path in sorted(glob.glob(os.path.join(folder, "*.log"))):
        suite = os.path.basename(path).split(".", 1)[0]
        with open(path, encoding="utf-8", errors="replace") as file:
            for number, line in enumerate(file, 1):
                kind, _, text = line.rstrip("\n").partition("\t")
                counts[suite][kind] += 1
                for what in needles.find(text):
                    problems.append(f"{os.path.basename(path)}:{number}: {kind} shows {what}: {text[:300]!r}")
    for suite, kinds in MINIMUM.items():
        for kind, least in kinds.items():
            if counts[suite][kind] < least:
                problems.append(f"suite {suite}: {counts[suite][kind]} {kind} lines, fewer than {least}: "
                                "is its transcript hook broken?")
    if needles.signature_count() < MIN_SIGNATURES:
        problems.append(f"{needles.signature_count()} signatures recorded, fewer than {MIN_SIGNATURES}: "
                        "is the doubles' recording broken?")
    written = {suite: sum(kinds.values()) for suite, kinds in counts.items() if sum(kinds.values())}
    per_suite = ", ".join(f"{suite} {lines}" for suite, lines in sorted(written.items()))
    print(f"secrets scan: {sum(written.values())} lines from {len(written)} suites ({per_suite}); "
          f"{needles.signature_count()} signatures and {len(needles.secrets)} secrets checked", file=out)
    for problem in problems[:50]:
        print(f"  {problem}", file=out)
    if len(problems) > 50:
        print(f"  ... and {len(problems) - 50} more", file=out)
    return not problems


def self_test() -> bool:
    """A transcript of the minimum size passes; one line with a secret or a signature in any
    form, a missing suite or too few signatures fails."""
    needles = Needles()
    test_secrets(needles)
    secret_text = dict(_credentials_secrets(os.path.join(ROOT, "tests/data/credentials")))
    secret = next(iter(secret_text.values()))
    secret_bytes = base64.b64decode(secret)
    signature = base64.b64encode(bytes(range(7, 39))).decode()
    urlsafe = signature.replace("+", "-").replace("/", "_").rstrip("=")

    def run(extra_line: str = "", drop_suite: str = "", signatures: int = MIN_SIGNATURES) -> bool:
        with tempfile.TemporaryDirectory(prefix="secrets-scan-self-test-") as folder:
            with open(os.path.join(folder, "double-signatures.1.txt"), "w") as file:
                file.write(f"authorization\tSignature keyId=\"K\",signature=\"{signature}\"\nvalue\t{signature}\n")
                for n in range(signatures - 1):
                    file.write(f"value\t{base64.b64encode(hashlib.sha256(bytes([n])).digest()).decode()}\n")
            for suite, kinds in MINIMUM.items():
                if suite == drop_suite:
                    continue
                with open(os.path.join(folder, f"{suite}.1.log"), "w") as file:
                    for kind, least in kinds.items():
                        file.write("".join(f"{kind}\tPOST https://api.remote.it/graphql/v1: HTTP 401 #{n}\n"
                                           for n in range(least)))
                    if extra_line:
                        file.write(f"error\t{extra_line}\n")
            fresh = Needles()
            fresh.secrets = needles.secrets
            read_signatures(folder, fresh)
            quiet = open(os.devnull, "w")
            with quiet:
                return scan(folder, fresh, out=quiet)

    spaced = " ".join(signature[i:i + 8] for i in range(0, len(signature), 8))
    caught = {
        "the secret as in the file": f"bad key {secret}",
        "the secret URL-safe, unpadded": "k=" + secret.replace("+", "-").replace("/", "_").rstrip("="),
        "the secret split by spaces": " ".join(secret[i:i + 10] for i in range(0, len(secret), 10)),
        "the secret's bytes in hex": secret_bytes.hex(),
        "the secret's bytes as text": secret_bytes.decode("ascii", "replace"),
        "a signature": f'signature="{signature}"',
        "a signature URL-safe": f"sig={urlsafe}.",
        "a signature within a longer base64 run": f"x{signature[:-1]}AAAA",
        "a signature split by spaces": spaced,
    }
    ok = True
    if not run():
        print("secrets scan self-test: a clean transcript fails")
        ok = False
    if run("the access key TESTKEYID0000000001 and a 43-character run of another kind: " + "A" * 43) is not True:
        print("secrets scan self-test: a clean line with a long base64 run fails")
        ok = False
    for what, line in caught.items():
        if run(line):
            print(f"secrets scan self-test: {what} is not caught")
            ok = False
    for suite in MINIMUM:
        if run(drop_suite=suite):
            print(f"secrets scan self-test: a missing {suite} transcript is not caught")
            ok = False
    if run(signatures=MIN_SIGNATURES - 1):
        print("secrets scan self-test: too few signatures is not caught")
        ok = False
    print(f"secrets scan self-test: {'ok' if ok else 'FAILED'} ({len(caught)} kinds of leak, "
          f"{len(MINIMUM)} missing suites, a thin signature record)")
    return ok


def main(argv: List[str]) -> int:
    if argv == ["--self-test"]:
        return 0 if self_test() else 1
    if len(argv) != 1 or not os.path.isdir(argv[0]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    needles = Needles()
    entries = test_secrets(needles)
    files, headers = read_signatures(argv[0], needles)
    print(f"secrets scan: {len(needles.secrets)} distinct secrets of the test keys ({entries} entries); "
          f"{headers} signature headers from {files} doubles")
    return 0 if scan(argv[0], needles) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
