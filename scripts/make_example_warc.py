"""Build examples/archive.warc.gz from the saved pages in scripts/warc-src/.

Each page becomes one WARC "response" record with HTTP headers, as a crawler would have stored it.
The output is reproducible: record ids come from the target URI and dates are fixed, so re-running
the script on unchanged pages gives the same file.

Usage: .venv/bin/python scripts/make_example_warc.py
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parents[1]
SOURCE_DIR = REPO / "scripts" / "warc-src"
OUTPUT = REPO / "examples" / "archive.warc.gz"
# The pages live outside examples/ so that `dateline analyze examples/` reads them only from the WARC.


@dataclass(frozen=True)
class Page:
    file_name: str
    uri: str
    crawled: str  # WARC-Date, ISO 8601 UTC
    charset: str  # what the server declared; the windows-1252 page tests charset detection


PAGES = (
    Page("hormuz-tanker-warning.html", "https://gulfmonitor.example/iran/2024/05/08/guard-warns-navies-tanker-seizure",
         "2024-05-08T09:14:02Z", "utf-8"),
    Page("lebanon-refugee-returns.html", "https://levanttoday.example/lebanon/syrian-deportations-unhcr-alarm",
         "2024-08-27T13:40:51Z", "windows-1252"),
)


def page_bytes(page: Page) -> bytes:
    """The page as the server sent it: the UTF-8 source re-encoded to the declared charset."""
    return (SOURCE_DIR / page.file_name).read_text(encoding="utf-8").encode(page.charset)


def write_response(writer: WARCWriter, page: Page) -> None:
    payload = page_bytes(page)
    http_headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", f"text/html; charset={page.charset}"), ("Content-Length", str(len(payload))),
         ("Server", "nginx")],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        page.uri, "response", payload=BytesIO(payload), http_headers=http_headers,
        warc_headers_dict={
            "WARC-Date": page.crawled,
            "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, page.uri)}>",
        },
    )
    writer.write_record(record)


def main() -> None:
    with open(OUTPUT, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page in PAGES:
            write_response(writer, page)
    print(f"wrote {OUTPUT.relative_to(REPO)} ({len(PAGES)} response records)")


if __name__ == "__main__":
    main()
