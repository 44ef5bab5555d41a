"""Each reader on small inputs made here: what becomes a RawDoc, what becomes a Failure, and why."""

import gzip
import io
import json
import os

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dateline.ingest import read_bytes, read_file, read_inputs
from dateline.ingest.decode import DecodeError, decode_bytes
from dateline.ingest.detect import detect_format
from dateline.ingest.jsonl import line_spans
from dateline.ingest.rawdoc import Failure, RawDoc
from dateline.settings import Options

OPTIONS = Options()
PAGE = "<html><head><title>Floods</title></head><body><article><p>Rescuers reached the valley.</p></article></body></html>"


def read(path, options=OPTIONS):
    return list(read_inputs([str(path)], options))


def test_decode_prefers_utf8_then_detects():
    assert decode_bytes("café “quoted”".encode()) == ("café “quoted”", "utf-8")
    text, encoding = decode_bytes("caf\u00e9 \u201cquoted\u201d and more words here".encode("cp1252"))
    assert "café" in text and "“quoted”" in text
    assert decode_bytes("Flood".encode("utf-16"))[0] == "Flood"
    assert decode_bytes(b"Rescuers\x00 arrived on Tuesday.\r\nThen rain.")[0] == "Rescuers arrived on Tuesday.\nThen rain."


def test_decode_refuses_binary():
    with pytest.raises(DecodeError, match="PNG"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(bytes(range(32)) * 100)


def test_detect_by_name_then_content():
    assert detect_format("a.warc.gz") == "warc"
    assert detect_format("a.jsonl") == "jsonl"
    assert detect_format("a.json") == "json"
    assert detect_format(None, b"<?xml version='1.0'?><rss version='2.0'>") == "feed"
    assert detect_format(None, b"<!DOCTYPE html><html>") == "html"
    assert detect_format(None, b'{"text": "x"}') == "jsonl"
    assert detect_format(None, b"Plain words.") == "text"


def test_folder_walk_reads_each_file_once_and_survives_symlink_loops(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nBody text here.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Title\n\nOther body.")
    os.symlink("..", tmp_path / "sub" / "loop")
    os.symlink(tmp_path / "a.txt", tmp_path / "sub" / "same-as-a.txt")
    items = read(tmp_path)
    docs = [i for i in items if isinstance(i, RawDoc)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert len(docs) == 2
    assert any("already read" in f.error for f in fails)  # the loop and the second name of a.txt
    assert len(fails) == 2


def test_missing_path_and_empty_glob_are_failures(tmp_path):
    items = list(read_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "*.html")], OPTIONS))
    assert [i.error for i in items] == ["no such file or folder", "no file matches this pattern"]


def test_oversized_file_is_refused_without_reading(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 300_000)
    (item,) = read(big, Options(max_bytes=1_000_000))
    assert isinstance(item, Failure) and "limit" in item.error


def test_empty_and_whitespace(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    (tmp_path / "w.txt").write_bytes(b" \n\t\n")
    errors = [i.error for i in read(tmp_path)]
    assert errors == ["empty file (0 bytes)", "empty input: no text in it"]


def test_jsonl_each_bad_line_named(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join([
        json.dumps({"url": "https://x.org/a", "title": "A", "text": "Body of a.", "published": "2021-08-01"}),
        "{broken",
        json.dumps({"url": "https://x.org/b"}),
        json.dumps([1, 2]),
        "",
        json.dumps({"title": "C", "html": PAGE}),
    ]) + "\n")
    items = read(path)
    assert [type(i).__name__ for i in items] == ["RawDoc", "Failure", "Failure", "Failure", "RawDoc"]
    assert items[0].meta == {"url": "https://x.org/a", "title": "A", "published": "2021-08-01", "kind": "text"}
    assert items[1].uri.endswith("#line=2") and "invalid JSON" in items[1].error
    assert "no \"text\" or \"html\"" in items[2].error
    assert "list" in items[3].error
    assert items[4].meta["kind"] == "html" and items[4].uri.endswith("#line=6")


def test_jsonl_spans_read_as_the_whole_file(tmp_path):
    """line_spans cuts after newlines; reading every span gives the whole file's items, line numbers included."""
    lines = [json.dumps({"url": f"https://x.org/{n}", "text": f"Body {n}. " * (n % 7 + 1)}) for n in range(40)]
    lines[13], lines[20] = "{broken", ""
    lines[30] = json.dumps({"text": "long " * 3000})  # a line longer than a piece
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines) + "\n")
    spans = line_spans(str(path), 256)
    data = path.read_bytes()
    assert len(spans) > 5 and spans[0].start == 0 and spans[-1].end == len(data)
    assert all(a.end == b.start for a, b in zip(spans, spans[1:], strict=False))
    assert all(data[s.end - 1:s.end] == b"\n" for s in spans)
    assert all(s.first_line == data[:s.start].count(b"\n") + 1 for s in spans)
    whole = [(i.uri, getattr(i, "content", None), getattr(i, "error", None)) for i in read(path)]
    parts = [(i.uri, getattr(i, "content", None), getattr(i, "error", None))
             for s in spans for i in read_file(str(path), OPTIONS, span=s)]
    assert parts == whole and whole[13][0].endswith("#line=14") and "invalid JSON" in whole[13][2]


def test_jsonl_spans_of_a_file_without_text(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text("\n" * 5000)
    assert line_spans(str(path), 256) == []  # read whole: its failure is reported once
    (failure,) = read(path)
    assert failure.error == "no JSON lines in this file"


def test_jsonl_gz(tmp_path):
    path = tmp_path / "wire.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps({"text": "Body."}).encode() + b"\n"))
    (item,) = read(path)
    assert isinstance(item, RawDoc) and item.content == "Body."


def test_json_file_object_or_list(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"title": "T", "text": "Body."}, indent=2))
    (tmp_path / "many.json").write_text(json.dumps([{"text": "A."}, {"nope": 1}]))
    items = read(tmp_path)
    assert [type(i).__name__ for i in items] == ["RawDoc", "Failure", "RawDoc"]


def warc_bytes(pages, *, cut=0, content_type="text/html; charset=utf-8"):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for page in pages:
        uri, html = page[:2]
        ctype = page[2] if len(page) > 2 else content_type
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=headers))
    data = buf.getvalue()
    return data[:-cut] if cut else data


def test_warc_response_records(tmp_path):
    path = tmp_path / "a.warc.gz"
    path.write_bytes(warc_bytes([("https://x.org/1", PAGE), ("https://x.org/2", PAGE.replace("Floods", "Fire"))]))
    items = read(path)
    assert [i.uri for i in items] == [f"file://{path}#record=1", f"file://{path}#record=2"]
    assert [i.meta["url"] for i in items] == ["https://x.org/1", "https://x.org/2"]
    assert all(isinstance(i, RawDoc) and i.meta["kind"] == "html" for i in items)
    assert b"Fire" in items[1].content


def test_truncated_warc_keeps_the_good_records(tmp_path):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(warc_bytes([("https://x.org/1", PAGE), ("https://x.org/2", PAGE * 50)], cut=300))
    items = read(path)
    assert isinstance(items[0], RawDoc) and items[0].meta["url"] == "https://x.org/1"
    assert len(items) == 2
    last = items[1]
    assert ("truncated" in last.error) if isinstance(last, Failure) else last.meta.get("truncated")


def test_not_a_warc(tmp_path):
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(b"this is not a warc file\n")
    (item,) = read(path)
    assert isinstance(item, Failure) and "not a WARC" in item.error


def test_warc_record_over_the_limit_is_refused_with_bounded_read(tmp_path):
    path = tmp_path / "big.warc.gz"
    path.write_bytes(warc_bytes([("https://x.org/big", "<html><body><p>" + "x" * 3_000_000 + "</p></body></html>")]))
    items = read(path, Options(max_record_bytes=1_000_000))
    assert isinstance(items[0], Failure) and "limit" in items[0].error


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Floods</title><link>https://x.org/floods</link><pubDate>Thu, 12 Aug 2021 10:00:00 GMT</pubDate>
<description><![CDATA[<p>Rescuers reached the valley on Tuesday after floods cut the road.</p>]]></description></item>
<item><title>Aid convoy</title><link>https://x.org/news/aid-convoy</link><description>Short.</description></item>
<item><title>Gone</title><link>https://x.org/news/missing-page</link><description></description></item>
</channel></rss>"""


def test_feed_entries_content_or_the_page_beside_it(tmp_path):
    (tmp_path / "feed.xml").write_text(RSS)
    (tmp_path / "aid-convoy.html").write_text(PAGE)
    items = list(read_bytes(RSS.encode(), "file://feed.xml", OPTIONS, path=str(tmp_path / "feed.xml")))
    first, second, third = items
    assert isinstance(first, RawDoc) and first.meta["published"] == "2021-08-12" and first.meta["kind"] == "html"
    assert isinstance(second, RawDoc) and second.meta["page"].endswith("aid-convoy.html")
    assert isinstance(third, Failure) and "no content" in third.error


def test_feed_with_entities_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "lol">]><rss><channel><item><title>&a;</title></item></channel></rss>'
    (item,) = read_bytes(bomb, "mem:", OPTIONS, fmt="feed")
    assert isinstance(item, Failure) and "entities" in item.error


def test_feed_inside_a_warc_finds_its_linked_page_in_the_same_archive(tmp_path):
    rss = RSS.replace("https://x.org/news/aid-convoy", "https://x.org/aid")
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes([("https://x.org/feed", rss, "application/rss+xml"),
                                 ("https://x.org/aid", PAGE.replace("Floods", "Aid convoy"))]))
    items = read(path)
    page, *entries = items
    assert isinstance(page, RawDoc) and page.meta["url"] == "https://x.org/aid"
    first, linked, missing = entries
    assert isinstance(first, RawDoc) and first.uri.endswith("#record=1#entry=1")
    assert isinstance(linked, RawDoc) and b"Aid convoy" in linked.content and linked.meta["page"].endswith("#record=2")
    assert isinstance(missing, Failure) and "not in the same folder or archive" in missing.error
