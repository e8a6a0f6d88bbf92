"""Static assets the site needs, shipped once: Plotly, the chart script, the styles.

``plotly.min.js`` (4.8 MB) is copied from the installed plotly package into the
site exactly once; no chart embeds it and no page loads anything from a CDN.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Final

ASSET_DIR = "assets/playbook"
PLOTLY = f"{ASSET_DIR}/plotly.min.js"
CHARTS = f"{ASSET_DIR}/playbook-charts.js"
STYLES = f"{ASSET_DIR}/playbook.css"
CSS: Final = (STYLES,)
"""Stylesheets to add to ``extra_css``."""
JAVASCRIPT: Final = (PLOTLY, CHARTS,)
"""Scripts to add to ``extra_javascript``, Plotly first."""


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
            (STYLES, here / "playbook.css")]
