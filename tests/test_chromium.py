"""Debian's Chromium as ``make pdf`` and the browser tests launch it (``scripts/pdf.py``'s
``CHROMIUM_ARGS``): Playwright's own switches kept, the address bar's pages left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scripts.pdf import UNUSED_UI

pytestmark = pytest.mark.browser


def _disabled_features(browser: Any) -> list[set[str]]:
    """The names of each ``--disable-features`` switch on the running browser's command
    line, in order (read from ``/proc``: Chromium shows it over CDP only under
    ``--enable-automation``, which Playwright does not pass)."""
    session = browser.new_browser_cdp_session()
    try:
        processes = session.send("SystemInfo.getProcessInfo")["processInfo"]
    finally:
        session.detach()
    pid = next(p["id"] for p in processes if p["type"] == "browser")
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    prefix = "--disable-features="
    return [set(arg.removeprefix(prefix).split(",")) for arg in argv if arg.startswith(prefix)]


def test_our_disable_features_keeps_playwrights(browser: Any) -> None:
    """Chromium applies only the last ``--disable-features``: ours comes last and must
    name every feature Playwright switches off in its own, earlier one."""
    switches = _disabled_features(browser)
    assert len(switches) == 2, switches  # Playwright's, then ours
    playwright, ours = switches
    missing = sorted(playwright - ours)
    assert not missing, (f"Playwright disables {missing} too: add them to "
                         "PLAYWRIGHT_DISABLED in scripts/pdf.py")
    assert set(UNUSED_UI) <= ours


def test_a_new_context_runs_no_browser_interface(browser: Any) -> None:
    """A context opens its page and nothing else: no address-bar drop-down (a web page of
    Chromium's own, ``browser_ui``) is preloaded beside it."""
    context = browser.new_context()
    session = browser.new_browser_cdp_session()
    try:
        context.new_page().goto("about:blank")
        targets = session.send("Target.getTargets", {"filter": [{}]})["targetInfos"]
    finally:
        session.detach()
        context.close()
    kinds = sorted(target["type"] for target in targets)
    assert "page" in kinds
    assert "browser_ui" not in kinds, [t["url"] for t in targets]
