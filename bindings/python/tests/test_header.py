"""The binding checked against include/remoteit.h: every prototype, the result codes, the schemes.

The ctypes table in ``remoteit._native`` is written by hand; a header function it lacks, or an
argument type that drifted, would only show as a crash or a silently wrong value. These tests
parse the header (comments and preprocessor lines removed, then split into declarations) and
compare both ways.
"""

from __future__ import annotations

import ctypes
import re
import unittest
from ctypes import POINTER
from typing import Any, Dict, List, NamedTuple, Optional

import support

import remoteit
from remoteit import _native

HEADER = support.REPO_ROOT / "include" / "remoteit.h"

#: Header functions the binding deliberately does not declare, each with the reason.
NOT_BOUND: Dict[str, str] = {}

# The C scalar types of the ABI and the ctypes type the binding uses for each.
SCALARS: Dict[str, Any] = {
    "void": None,
    "char": ctypes.c_char,
    "uint8_t": ctypes.c_uint8,
    "int32_t": ctypes.c_int32,
    "uint32_t": ctypes.c_uint32,
    "int64_t": ctypes.c_int64,
    "size_t": ctypes.c_size_t,
    "remoteit_result": ctypes.c_uint32,
}


class CType(NamedTuple):
    """A parameter or return type: its base name, whether the base is const, the pointer depth."""

    base: str
    const: bool
    depth: int


class Prototype(NamedTuple):
    restype: CType
    argtypes: List[CType]


def header_text() -> str:
    """The header without comments and preprocessor lines."""
    text = HEADER.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r"^\s*#[^\n]*", " ", text, flags=re.MULTILINE)


def parse_type(text: str) -> CType:
    """``const char *`` → CType("char", True, 1)."""
    tokens = re.findall(r"\w+|\*", text)
    names = [token for token in tokens if token not in ("const", "*")]
    if len(names) != 1:
        raise ValueError(f"cannot read the C type {text!r}")
    base = names[0]
    const = "const" in tokens[: tokens.index(base)]
    return CType(base, const, tokens.count("*"))


def parse_parameter(text: str) -> CType:
    """A parameter's type, its name (the last word, after the type) dropped."""
    match = re.fullmatch(r"(.*?[\s*])(\w+)", text.strip(), flags=re.DOTALL)
    if match is None:
        raise ValueError(f"cannot read the parameter {text!r}")
    return parse_type(match.group(1))


def header_functions() -> Dict[str, Prototype]:
    """Every function the header declares, by name."""
    functions: Dict[str, Prototype] = {}
    for declaration in re.split(r"[;{}]", header_text()):
        declaration = " ".join(declaration.split())
        if declaration.startswith("typedef"):
            continue
        match = re.fullmatch(r"(.+?)\b(remoteit_\w+)\s*\((.*)\)", declaration)
        if match is None:
            continue
        parameters = match.group(3).strip()
        argtypes = [] if parameters == "void" else [parse_parameter(p) for p in parameters.split(",")]
        functions[match.group(2)] = Prototype(parse_type(match.group(1)), argtypes)
    return functions


def header_result_codes() -> Dict[str, int]:
    """The members of ``enum remoteit_result``, without the ``REMOTEIT_`` prefix."""
    match = re.search(r"\benum\s+remoteit_result\b[^{;]*\{([^}]*)\}", header_text())
    if match is None:
        raise ValueError(f"{HEADER} declares no enum remoteit_result")
    members = [member.strip() for member in match.group(1).split(",") if member.strip()]
    codes: Dict[str, int] = {}
    for member in members:
        entry = re.fullmatch(r"REMOTEIT_(\w+)\s*=\s*(\d+)", member)
        if entry is None:
            raise ValueError(f"the result code {member!r} has no explicit number")
        codes[entry.group(1)] = int(entry.group(2))
    return codes


def header_macros(prefix: str) -> Dict[str, int]:
    """The ``#define REMOTEIT_<prefix>_<NAME> <number>`` macros, by ``NAME``."""
    text = HEADER.read_text(encoding="utf-8")
    return {name: int(number) for name, number in re.findall(rf"#define REMOTEIT_{prefix}_(\w+) (-?\d+)", text)}


def expected_ctype(c_type: CType) -> Any:
    """The ctypes type the binding must use for a C type.

    ``const char *`` is ``c_char_p`` (a string in, or a static or borrowed string out);
    ``char *`` is ``POINTER(c_char)`` (a caller buffer, or a library-allocated string that
    ``c_char_p`` would turn into bytes and so lose); a pointer to the opaque ``remoteit_x`` is
    ``POINTER(_native.x_t)``; every other pointer is ``POINTER`` of what it points to.
    """
    if c_type.base == "char" and c_type.depth > 0:
        inner: Any = ctypes.c_char_p if c_type.const else POINTER(ctypes.c_char)
        depth = c_type.depth - 1
    else:
        inner = handle_or_scalar(c_type.base)
        depth = c_type.depth
    if inner is None and depth > 0:
        inner, depth = ctypes.c_void_p, depth - 1
    for _ in range(depth):
        inner = POINTER(inner)
    return inner


def handle_or_scalar(base: str) -> Any:
    """The ctypes type of a C scalar, or of an opaque ``remoteit_x`` handle (``_native.x_t``)."""
    if base in SCALARS:
        return SCALARS[base]
    handle: Optional[Any] = None
    if base.startswith("remoteit_"):
        handle = getattr(_native, base[len("remoteit_"):] + "_t", None)
    if handle is None:
        raise AssertionError(f"the header type {base} has no ctypes equivalent in this test or _native")
    return handle


class PrototypeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.declared = header_functions()
        cls.bound = dict(_native._PROTOTYPES)

    def test_the_header_parser_finds_the_functions(self) -> None:
        self.assertGreaterEqual(len(self.declared), 30, sorted(self.declared))

    def test_every_header_function_has_a_prototype_or_a_stated_reason(self) -> None:
        missing = sorted(set(self.declared) - set(self.bound) - set(NOT_BOUND))
        self.assertEqual(missing, [], "header functions without a prototype in remoteit._native")

    def test_every_prototype_names_a_header_function(self) -> None:
        self.assertEqual(sorted(set(self.bound) - set(self.declared)), [], "prototypes of no header function")

    def test_every_function_not_bound_is_in_the_header_and_unbound(self) -> None:
        for name in NOT_BOUND:
            with self.subTest(name):
                self.assertIn(name, self.declared)
                self.assertNotIn(name, self.bound)

    def test_every_restype_is_the_header_return_type(self) -> None:
        common = sorted(set(self.declared) & set(self.bound))
        self.assertTrue(common)
        for name in common:
            with self.subTest(name):
                restype, _ = self.bound[name]
                self.assertIs(restype, expected_ctype(self.declared[name].restype))

    def test_every_argtypes_list_is_the_header_parameter_list(self) -> None:
        common = sorted(set(self.declared) & set(self.bound))
        self.assertTrue(common)
        for name in common:
            with self.subTest(name):
                _, argtypes = self.bound[name]
                self.assertEqual(list(argtypes), [expected_ctype(c_type) for c_type in self.declared[name].argtypes])

    def test_the_loaded_library_uses_the_prototype_table(self) -> None:
        for name, (restype, argtypes) in _native._PROTOTYPES.items():
            with self.subTest(name):
                function = getattr(remoteit.lib, name)
                self.assertIs(function.restype, restype)
                self.assertEqual(list(function.argtypes), list(argtypes))


class HeaderParserTest(unittest.TestCase):
    """The parser itself, on the shapes of declaration the header uses."""

    def test_const_char_pointer_is_c_char_p(self) -> None:
        self.assertIs(expected_ctype(parse_type("const char *")), ctypes.c_char_p)

    def test_char_pointer_is_a_pointer_to_c_char(self) -> None:
        self.assertIs(expected_ctype(parse_type("char *")), POINTER(ctypes.c_char))

    def test_char_pointer_pointer_is_a_pointer_to_an_owned_string(self) -> None:
        self.assertIs(expected_ctype(parse_type("char **")), POINTER(_native.OwnedString))

    def test_a_handle_out_parameter_is_a_pointer_to_the_handle_pointer(self) -> None:
        self.assertIs(expected_ctype(parse_type("remoteit_credentials **")), POINTER(_native.CredentialsPtr))

    def test_a_parameter_name_is_dropped_from_its_type(self) -> None:
        self.assertEqual(parse_parameter("const uint8_t *body"), CType("uint8_t", True, 1))

    def test_void_pointer_is_c_void_p(self) -> None:
        self.assertIs(expected_ctype(parse_type("void *")), ctypes.c_void_p)


class ResultCodeTest(unittest.TestCase):
    def test_the_header_parser_finds_the_result_codes(self) -> None:
        self.assertGreaterEqual(len(header_result_codes()), 18)

    def test_result_has_the_names_and_numbers_of_the_header(self) -> None:
        self.assertEqual({member.name: member.value for member in remoteit.Result}, header_result_codes())


class SchemeTest(unittest.TestCase):
    def test_the_header_declares_scheme_macros(self) -> None:
        self.assertGreaterEqual(len(header_macros("SCHEME")), 2)

    def test_scheme_has_the_names_and_numbers_of_the_header_macros(self) -> None:
        self.assertEqual({member.name: member.value for member in remoteit.Scheme}, header_macros("SCHEME"))


class LogLevelTest(unittest.TestCase):
    def test_the_header_declares_log_level_macros(self) -> None:
        self.assertGreaterEqual(len(header_macros("LOG")), 4)

    def test_log_level_has_the_names_and_numbers_of_the_header_macros(self) -> None:
        self.assertEqual({member.name: member.value for member in remoteit.LogLevel}, header_macros("LOG"))

    def test_the_log_callback_type_is_the_header_typedef(self) -> None:
        match = re.search(r"typedef\s+void\s*\(\s*\*\s*remoteit_log_callback\s*\)\s*\(([^)]*)\)", header_text())
        self.assertIsNotNone(match)
        assert match is not None
        parameters = [parse_parameter(p) for p in match.group(1).split(",")]
        callback = _native.log_callback_t
        self.assertIsNone(callback._restype_)
        self.assertEqual(list(callback._argtypes_), [expected_ctype(c_type) for c_type in parameters])


if __name__ == "__main__":
    unittest.main()
