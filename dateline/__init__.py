"""dateline: news articles in, sourced and structured records out.

The flow is ingest -> clean -> nlp -> record (see ../shared/DESIGN.md):

    from dateline import analyze
    for result in analyze(["story.html"]):
        print(result.record if result.ok else result.error)
"""

from dateline.analyze import Result, analyze

__all__ = ["Result", "analyze"]
__version__ = "0.1.0"
