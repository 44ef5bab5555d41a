"""A real install (issue 17, item 10): the wheel built from this tree, installed into a fresh virtualenv with only
what ``pyproject.toml`` declares, analyzes the seed article, building its gazetteer on first use with a message.

The lock in requirements/*.txt is passed as pip *constraints*: it pins the versions (so pip's cache serves them)
but installs nothing by itself, so a dependency missing from pyproject.toml still fails the import here."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / ".." / "shared" / "gold" / "seed" / "article.txt"


# The installed copy must not see this checkout (PYTHONPATH) or the test's own virtualenv.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def _run(args: list[str | Path], *, cwd: Path | None = None, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, cwd=cwd,
                          env=env or CLEAN_ENV)
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _constraints(folder: Path) -> Path:
    """requirements/base.txt and model.txt as plain pins (constraints take no hashes)."""
    lines = []
    for name in ("base.txt", "model.txt"):
        for line in (REPO / "requirements" / name).read_text().splitlines():
            pin = re.sub(r"\s--hash=\S+", "", line.split("#", 1)[0]).strip()
            if pin:
                lines.append(re.sub(r"\[[^\]]*\]", "", pin))  # constraints name packages without extras
    path = folder / "constraints.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
def test_the_wheel_installs_and_analyzes_the_seed_article(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", REPO, "--no-deps", "--quiet", "--wheel-dir", dist])
    [wheel] = dist.glob("dateline-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", f"{wheel}", "-c", _constraints(tmp_path)], cwd=tmp_path)
    _run([python, "-m", "pip", "check"], cwd=tmp_path)
    article = SEED if SEED.exists() else REPO / "examples" / "border-clinic-chaman.txt"
    env = {**CLEAN_ENV}
    env["DATELINE_CACHE"] = str(tmp_path / "cache")  # a first use: the gazetteer is built, and says so
    done = _run([env_dir / "bin" / "dateline", "analyze", article, "--json"], cwd=tmp_path, env=env)
    assert "building the places gazetteer" in done.stderr and (tmp_path / "cache" / "gazetteer.sqlite").exists()
    [record] = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert record["body"] and record["entities"] and record["quotes"]
    for entity in record["entities"]:  # spans into the body, from the installed package's pipeline
        for mention in entity["mentions"]:
            assert record["body"][mention["start"]:mention["end"]] == mention["text"]
    location = _run([python, "-c", "import dateline; print(dateline.__file__)"], cwd=tmp_path, env=env).stdout
    assert str(env_dir) in location  # the installed copy ran, not this checkout
    help_text = _run([env_dir / "bin" / "dateline", "serve", "--help"], cwd=tmp_path, env=env).stdout
    assert "--allowed-hosts" in help_text
