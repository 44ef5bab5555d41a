"""Security headers for every response (errors included), the Host check, and the URL check for links built
from article data."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

# No inline scripts anywhere: every script is a static file of this package.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI sets inline style attributes; its page alone allows them (scripts stay 'self' only).
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
STATIC_CACHE = "public, max-age=600"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


LOOPBACK = ("127.0.0.1", "localhost", "::1")
ANY_INTERFACE = ("0.0.0.0", "::", "")
log = logging.getLogger(__name__)
Handler = Callable[[Request], Awaitable[Response]]


def default_allowed_hosts(served_host: str) -> list[str] | None:
    """Host header values a server listening on ``served_host`` answers (None: any).

    A page on another site can make a browser resolve its own name to 127.0.0.1 (DNS rebinding) and read the
    answers as same-origin; its requests still carry that other name in Host, so a loopback server answers only
    loopback names. A server on every interface has no one name: it answers any (``--allowed-hosts`` narrows)."""
    if served_host in ANY_INTERFACE:
        return None
    if served_host in LOOPBACK or served_host.startswith("127."):
        return sorted({served_host, *LOOPBACK})
    return [served_host]


def parse_allowed_hosts(value: str | None, served_host: str) -> list[str] | None:
    """``--allowed-hosts a.example,b.example`` (``*``: any), else the default for ``served_host``."""
    if value is None:
        return default_allowed_hosts(served_host)
    hosts = [h.strip().lower().strip("[]") for h in value.split(",") if h.strip()]
    return None if "*" in hosts or not hosts else hosts


def host_name(header: str) -> str:
    """The name in a Host header, without port or IPv6 brackets, lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def security_middleware(allowed_hosts: list[str] | None = None) -> Callable[[Request, Handler], Awaitable[Response]]:
    """The app's outer layer: the Host check, the security headers, and a JSON 500 (with headers) for a bug."""
    allowed = None if allowed_hosts is None else frozenset(h.lower().strip("[]") for h in allowed_hosts)

    async def middleware(request: Request, call_next: Handler) -> Response:
        if allowed is not None and host_name(request.headers.get("host", "")) not in allowed:
            response: Response = JSONResponse({"detail": "this server does not answer for that Host header "
                                               "(dateline serve --allowed-hosts lists the names it answers)"},
                                              status_code=400)
        else:
            try:
                response = await call_next(request)
            except Exception:  # a bug, never the client's doing: logged, answered, the connection kept
                log.exception("error answering %s %s", request.method, request.url.path)
                response = JSONResponse({"detail": "internal error: the server failed to answer this request"},
                                        status_code=500)
        return with_security_headers(request, response)

    return middleware


def with_security_headers(request: Request, response: Response) -> Response:
    response.headers["Content-Security-Policy"] = DOCS_CSP if request.url.path == "/docs" else CSP
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.url.path.startswith("/static/"):
        # Unversioned file names: kept for ten minutes, then revalidated by ETag (a 304 costs no body).
        response.headers.setdefault("Cache-Control", STATIC_CACHE)
    return response


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) link, else None (no ``javascript:``, ``data:`` or relative tricks)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None
