"""Static assets the site needs, shipped once: Plotly, the chart script, the styles.

``plotly.min.js`` (4.8 MB) is copied from the installed plotly package into the
site exactly once; no chart embeds it, only a page with a chart loads it (the chart
script does), and no page loads anything from a CDN.
The offline build (``make offline``) also loads the iframe-worker shim that lets
Material's search run from ``file://``, from here rather than from unpkg.com.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Final

ASSET_DIR = "assets/playbook"
PLOTLY = f"{ASSET_DIR}/plotly.min.js"
CHARTS = f"{ASSET_DIR}/playbook-charts.js"
STYLES = f"{ASSET_DIR}/playbook.css"
IFRAME_WORKER = f"{ASSET_DIR}/iframe-worker-shim.js"
"""Named so that Material's offline plugin sees a shim is present and adds no CDN copy."""
CSS: Final = (STYLES,)
"""Stylesheets to add to ``extra_css``."""
JAVASCRIPT: Final = (CHARTS,)
"""Scripts to add to ``extra_javascript``: the chart script, which loads ``plotly.min.js``
from beside itself on the pages that have a chart (a page without one never parses it)."""


def plotly_js() -> Path:
    """Path of ``plotly.min.js`` inside the installed plotly package."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the plotly package is not installed")
    path = Path(spec.origin).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the plotly package")
    return path


def files() -> list[tuple[str, Path]]:
    """``(site path, source file)`` of every asset."""
    here = Path(__file__).parents[1] / "assets"
    return [(PLOTLY, plotly_js()), (CHARTS, here / "playbook-charts.js"),
            (STYLES, here / "playbook.css"),
            (IFRAME_WORKER, here / "iframe-worker-shim.js")]


SNIPPET = "zensical-snippet.toml"
"""What ``playbook pages --out`` writes beside the pages for a site engine without hooks."""


def snippet() -> str:
    """The ``[project]`` settings a Zensical ``zensical.toml`` needs to draw the charts.

    Zensical runs no MkDocs plugin, so nothing adds the assets to the pages: the
    team copies these lines into its own configuration (paths are relative to the
    docs folder, where ``playbook pages --out`` writes the assets).
    """
    def toml_list(paths: tuple[str, ...]) -> str:
        return "[" + ", ".join(f'"{path}"' for path in paths) + "]"

    return ("# The chart assets `playbook pages --out` wrote beside the pages; add these\n"
            "# lines to the [project] table of zensical.toml (the same keys work in mkdocs.yml).\n"
            "[project]\n"
            f"extra_css = {toml_list(CSS)}\n"
            f"extra_javascript = {toml_list(JAVASCRIPT)}\n")


def offline_polyfills(polyfills: list[object]) -> list[object]:
    """Material's polyfill scripts for an offline build: the local iframe-worker shim
    in place of the CDN copy the offline plugin adds, which a site opened from disk
    could not load (and which would make search fail without a network)."""
    return [*(p for p in polyfills if "iframe-worker" not in str(p)), IFRAME_WORKER]
