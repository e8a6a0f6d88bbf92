"""An offline build (Material's offline plugin) that really works opened from disk.

``make offline`` sets ``OFFLINE=true``, which switches on Material's offline
plugin (``mkdocs.yml``): plain ``.html`` links and the search index inlined as
a script. Two things the plugin leaves that break a board pack opened from a
zip are fixed here, in ``on_config``:

- the plugin adds the iframe-worker shim (search's Web Worker under ``file://``)
  from unpkg.com; a machine without a network cannot load it, so the site ships
  its own copy (:data:`playbook.pages.assets.IFRAME_WORKER`);
- with ``navigation.instant`` on, Material 9.x completes its ``document$``
  stream before the page has loaded when the protocol is ``file:`` (instant
  navigation subscribes it to an empty stream there), so nothing that waits
  for ``document$`` runs: no chart is drawn. Instant navigation cannot work
  from disk anyway, so the offline build turns it off.

And it leaves out ``404.html``: MkDocs writes it with links from the site's root
(``/assets/…``), which name nothing on a disk, and a browser opening a missing
file shows its own error, never the site's page.
"""

from __future__ import annotations

from typing import Any

from playbook.pages import assets

INSTANT = "navigation.instant"
"""Material's instant navigation feature, and the prefix of its sub-features."""
NOT_FOUND = "404.html"
"""The theme's page for a missing address: no use, and broken, opened from disk."""


def enabled(config: Any) -> bool:
    """Whether this build is an offline build (the offline plugin is on)."""
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin is not None and plugin.config.get("enabled"))


def prepare(config: Any) -> None:
    """Make an offline build self-contained; leave any other build as it is.

    Args:
        config: The MkDocs configuration, after the offline plugin's ``on_config``
            or before it: the shim's name contains ``iframe-worker``, which stops
            the plugin from adding its CDN copy.
    """
    if not enabled(config):
        return
    config.extra["polyfills"] = assets.offline_polyfills(config.extra.get("polyfills", []))
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features
                                if f != INSTANT and not str(f).startswith(INSTANT + ".")]
    config.theme.static_templates.discard(NOT_FOUND)
