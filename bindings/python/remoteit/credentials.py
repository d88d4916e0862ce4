"""Credentials: an access key, loaded from a credentials file or made from its parts."""

from __future__ import annotations

import ctypes
from typing import Any, Optional

from ._handle import NativeHandle, NativeOwner
from ._native import CredentialsPtr, HeadersPtr, lib
from ._text import PathLike, encode, encode_optional, encode_path, read_buffer
from .errors import check
from .signing import (
    Body,
    Headers,
    Scheme,
    SchemeArg,
    body_arg,
    body_bytes,
    scheme_arg,
    take_headers,
    unix_time_arg,
)


class Credentials(NativeOwner):
    """A Remote.It access key (``remoteit_credentials``): its id and its secret.

    The secret stays inside the library, is never handed back and is zeroed when the
    credentials are freed. Free them with :meth:`close` or a ``with`` block (the garbage
    collector frees them otherwise); after that every method raises ``ValueError``. A
    :class:`Client` made from them keeps working after they are closed. Credentials may be
    used from many threads at once.
    """

    _handle: NativeHandle

    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        developer_key: Optional[str] = None,
    ) -> None:
        """Make credentials from their parts; ``secret_access_key`` is base64 (standard or
        URL-safe), as in a credentials file.

        Raises :class:`CredentialsError` (``SECRET_INVALID``) for a secret that is not
        base64 and :class:`InvalidArgumentError` for an empty or malformed key id.
        """
        out = CredentialsPtr()
        check(
            lib.remoteit_credentials_new(
                encode(access_key_id, "access_key_id"),
                encode(secret_access_key, "secret_access_key"),
                encode_optional(developer_key, "developer_key"),
                ctypes.byref(out),
            )
        )
        self._handle = NativeHandle(self, out, lib.remoteit_credentials_free, "Credentials")

    @classmethod
    def load(cls, path: Optional[PathLike] = None, profile: Optional[str] = None) -> Credentials:
        """Load credentials from a Remote.It credentials file (INI).

        ``path`` None means ``~/.remoteit/credentials``, or ``R3_ACCESS_KEY_ID`` and
        ``R3_SECRET_ACCESS_KEY`` from the environment when both are set. ``profile`` None
        means ``DEFAULT``; an exact section name wins, then a case-insensitive match.

        Raises :class:`CredentialsError` (file not found, invalid, profile not found,
        incomplete, secret invalid) or :class:`InvalidArgumentError` (a profile with ``.``).
        """
        out = CredentialsPtr()
        check(
            lib.remoteit_credentials_load(
                None if path is None else encode_path(path, "path"),
                encode_optional(profile, "profile"),
                ctypes.byref(out),
            )
        )
        credentials = cls.__new__(cls)
        credentials._handle = NativeHandle(credentials, out, lib.remoteit_credentials_free, "Credentials")
        return credentials

    @property
    def access_key_id(self) -> str:
        """The access key id (``R3_ACCESS_KEY_ID``)."""
        return self._read_string(lib.remoteit_credentials_access_key_id)

    @property
    def developer_key(self) -> Optional[str]:
        """The developer API key (``R3_DEVELOPER_API_KEY``, for the older REST API's
        ``DeveloperKey`` header), or None when there is none."""
        return self._read_string(lib.remoteit_credentials_developer_key) or None

    @property
    def warning(self) -> Optional[str]:
        """The warning about where these credentials came from, or None when there is none.

        Today the one warning is a credentials file its group or others may read, e.g.
        ``credentials file /home/me/.remoteit/credentials is readable by others (mode 0644):
        chmod 600 ...``: such a file still loads, and a program should show the warning to its
        user, as ssh and the AWS tools do. Credentials from the environment or made from their
        parts have none.
        """
        return self._read_string(lib.remoteit_credentials_warning) or None

    def _read_string(self, getter: Any) -> str:
        """A string of these credentials from a native getter that follows the buffer convention."""
        with self._handle.borrow() as credentials:
            return read_buffer(lambda buf, buf_len, out_len: getter(credentials, buf, buf_len, out_len))

    def sign(
        self,
        scheme: SchemeArg,
        method: str,
        url: str,
        content_type: Optional[str] = None,
        body: Optional[Body] = b"",
        unix_time: Optional[int] = None,
    ) -> Headers:
        """Sign a request with ``scheme``: the one entry point for every signing scheme.

        ``scheme`` is a :class:`Scheme` or its number; one the library does not know raises
        :class:`InvalidArgumentError`. Returns the headers to add to the request as
        ``(name, value)`` pairs, in order: those of :meth:`sign_request` for
        :attr:`Scheme.CAVAGE`, of :meth:`sign_request_rfc9421` for :attr:`Scheme.RFC9421`.
        The request must carry ``Host``, ``Content-Type`` (``content_type``; None leaves it
        out of the signature) and ``Content-Length`` exactly as signed. ``body`` is bytes, or
        text sent as UTF-8; ``unix_time`` None means now.
        """
        data = body_bytes(body)
        arguments = (
            scheme_arg(scheme),
            encode(method, "method"),
            encode(url, "url"),
            encode_optional(content_type, "content_type"),
            body_arg(data),
            len(data),
            unix_time_arg(unix_time),
        )
        out = HeadersPtr()
        with self._handle.borrow() as credentials:
            check(lib.remoteit_sign(credentials, *arguments, ctypes.byref(out)))
        return take_headers(out)

    def sign_request(
        self,
        method: str,
        url: str,
        content_type: Optional[str] = None,
        body: Optional[Body] = b"",
        unix_time: Optional[int] = None,
    ) -> Headers:
        """Sign a request the Remote.It way: :meth:`sign` with :attr:`Scheme.CAVAGE`
        (draft-cavage HTTP Signatures, HMAC-SHA256).

        Returns ``[("Date", ...), ("Authorization", ...)]``: add both to the request, which
        must carry ``Host``, ``Content-Type`` (``content_type``; None leaves it out of the
        signature) and ``Content-Length`` exactly as signed. ``body`` is bytes, or text sent
        as UTF-8; ``unix_time`` None means now.
        """
        return self.sign(Scheme.CAVAGE, method, url, content_type, body, unix_time)

    def sign_request_rfc9421(
        self,
        method: str,
        url: str,
        content_type: Optional[str] = None,
        body: Optional[Body] = b"",
        unix_time: Optional[int] = None,
    ) -> Headers:
        """Sign a request with RFC 9421 HTTP Message Signatures (HMAC-SHA256, label
        ``remoteit``): :meth:`sign` with :attr:`Scheme.RFC9421`.

        Returns ``Date``, ``Content-Digest`` (only for a non-empty body), ``Signature-Input``
        and ``Signature``, in that order. Arguments as for :meth:`sign_request`.
        """
        return self.sign(Scheme.RFC9421, method, url, content_type, body, unix_time)

    def __repr__(self) -> str:
        try:
            return f"<remoteit.Credentials access_key_id={self.access_key_id!r}>"
        except ValueError:
            return "<remoteit.Credentials (closed)>"
