"""Front-end files installed from npm (``scripts/build_web.sh``), served by name from a fixed list.

Only the files below are reachable: a request names a key, never a path, so nothing outside them is served.
The /docs page is Swagger UI from the same npm install, started by a static script (no CDN, no inline code).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

NODE_MODULES = Path(__file__).parent / "node_modules"
FILES = {
    "topojson-client.min.js": NODE_MODULES / "topojson-client" / "dist" / "topojson-client.min.js",
    "countries-110m.json": NODE_MODULES / "world-atlas" / "countries-110m.json",
    "swagger-ui-bundle.js": NODE_MODULES / "swagger-ui-dist" / "swagger-ui-bundle.js",
    "swagger-ui.css": NODE_MODULES / "swagger-ui-dist" / "swagger-ui.css",
    # d3 (its d3-force lays out the network) and Observable Plot (bars and time axes), which runs on d3.
    "d3.min.js": NODE_MODULES / "d3" / "dist" / "d3.min.js",
    "plot.umd.min.js": NODE_MODULES / "@observablehq" / "plot" / "dist" / "plot.umd.min.js",
}
MEDIA = {".js": "text/javascript; charset=utf-8", ".json": "application/json", ".css": "text/css; charset=utf-8"}

router = APIRouter(include_in_schema=False)


def installed() -> bool:
    return all(path.is_file() for path in FILES.values())


@router.get("/vendor/{name}")
def vendor_file(name: str) -> Response:
    path = FILES.get(name)
    if path is None or not path.is_file():
        raise HTTPException(404, "not a vendored file (run scripts/build_web.sh to install them)")
    return FileResponse(path, media_type=MEDIA[path.suffix], headers={"Cache-Control": "public, max-age=86400"})


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    from dateline.web.pages import templates

    return templates.TemplateResponse(request, "docs.html", {"swagger": installed(),
                                                             "routes": _api_routes(request)})


def _api_routes(request: Request) -> list[dict[str, str]]:
    routes = []
    for route in request.app.routes:
        path = getattr(route, "path", "")
        if path.startswith("/api/") and getattr(route, "include_in_schema", False):
            routes.append({"path": path, "summary": (getattr(route, "description", "") or "").split("\n")[0]})
    return routes
