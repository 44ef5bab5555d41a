"""web/: the REST API and the web UI on one FastAPI app (``create_app``), served by ``dateline serve``."""
