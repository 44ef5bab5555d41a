"""Ray on two nodes (``ray.cluster_utils.Cluster``: a head and one added node, 1 CPU each): the examples
ingest stores what one process stores, with the whole pipeline in the actors."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from dateline.store import open_db
from dateline.store.ingest import ingest

REPO = Path(__file__).resolve().parents[2]


def _stored(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {"articles": sorted(tuple(r) for r in conn.execute(text("SELECT id, story_id, record FROM articles"))),
                "quotes": conn.execute(text("SELECT count(*) FROM quotes")).scalar_one(),
                "errors": sorted(r for (r,) in conn.execute(text("SELECT reason FROM ingest_errors"))),
                "journal": sorted(r for (r,) in conn.execute(text("SELECT path FROM ingest_journal")))}


@pytest.mark.ray
@pytest.mark.slow
def test_examples_on_two_ray_nodes_equal_one_process(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    from ray.cluster_utils import Cluster

    from dateline.nlp.pipeline import load_nlp
    from dateline.scale.ray_ingest import ray_ingest

    if ray.is_initialized():
        ray.shutdown()
    one = open_db(str(tmp_path / "one.db"))
    alone = ingest([str(REPO / "examples")], one, nlp=load_nlp())
    catch = logging.Handler()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False,
                                                            "object_store_memory": 128 * 2**20})
    try:
        cluster.add_node(num_cpus=1, object_store_memory=128 * 2**20)
        cluster.wait_for_nodes()
        ray.init(address=cluster.address, log_to_driver=False)
        assert len([n for n in ray.nodes() if n["Alive"]]) == 2
        two = open_db(str(tmp_path / "two.db"))
        logged: list[logging.LogRecord] = []
        catch = logging.Handler()
        catch.emit = logged.append  # type: ignore[method-assign]
        logging.getLogger("ray.data").addHandler(catch)
        spread = ray_ingest([str(REPO / "examples")], db=str(tmp_path / "two.db"), workers=2, files_per_batch=2)
    finally:
        logging.getLogger("ray.data").removeHandler(catch)
        ray.shutdown()
        cluster.shutdown()
    # Ray Data's current API: no deprecated argument (``concurrency=`` logs a warning on every run).
    assert not [r for r in logged if "deprecated" in r.getMessage()], [r.getMessage() for r in logged]
    assert (spread.ingested, spread.duplicates, spread.failures) == (alone.ingested, alone.duplicates, alone.failures)
    assert alone.ingested == 18  # the demo corpus: 18 articles (their quote count moves with the quote rules)
    assert _stored(two) == _stored(one)
    assert _stored(one)["quotes"] > 100
