"""The CLI as a user runs it: exit status, --json, --out, stdin."""

from __future__ import annotations

import json
import subprocess
import sys


def dateline(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dateline", *args], input=stdin, capture_output=True, text=True,
                          timeout=300)


ARTICLE = "Floods cut road to valley\n\nMUZAFFARABAD — Rescuers reached the valley on Tuesday, officials said.\n"


def test_json_output_and_exit_zero(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    proc = dateline("analyze", str(tmp_path / "a.txt"), "--json")
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["title"] == "Floods cut road to valley"
    assert record["dateline"] == {"place": "MUZAFFARABAD", "agency": None}


def test_some_failed_exit_one_with_out_file(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARTICLE)
    (inputs / "empty.txt").write_text("")
    out = tmp_path / "out.jsonl"
    proc = dateline("analyze", str(inputs), "--out", str(out))
    assert proc.returncode == 1
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 2
    assert lines[1] == {"source": f"file://{inputs / 'empty.txt'}", "error": "empty file (0 bytes)"}
    assert "empty.txt: empty file (0 bytes)" in proc.stderr
    assert "Floods cut road to valley" in proc.stdout  # the readable summary


def test_stdin(tmp_path):
    proc = dateline("analyze", "-", "--json", stdin=ARTICLE)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source"]["uri"] == "stdin:"


def test_usage_error_exit_two():
    assert dateline("analyze").returncode == 2
    assert dateline("analyze", "--no-such-flag", "x").returncode == 2


def test_hostile_text_printed_as_text(tmp_path):
    (tmp_path / "x.txt").write_text("[bold red]Title[/bold red] <script>alert(1)</script>\n\nBody text here, he said.\n")
    proc = dateline("analyze", str(tmp_path / "x.txt"))
    assert "[bold red]Title[/bold red]" in proc.stdout  # rich markup in article text is not interpreted
