"""mkdocs-macros, fail closed: opt-in pages only, a sandboxed Jinja, our macros only.

Generated pages carry ``render_macros: false``, but MkDocs silently drops front
matter that does not parse, and the macros plugin renders every page by
default. So the playbook refuses to build unless ``render_by_default`` is
false (hand-written pages opt in with ``render_macros: true``), and the pages
that do opt in are rendered by a sandboxed Jinja that sees the playbook
macros and nothing else: no ``config``, no ``environment``, no plugin object,
no attribute starting with an underscore.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment
from mkdocs.exceptions import PluginError

NOT_CLOSED = (
    "mkdocs.yml: the macros plugin renders every page by default; add "
    "'render_by_default: false' under '- macros:' (hand-written pages that use "
    "playbook macros opt in with 'render_macros: true' in their front matter)"
)


def sandbox_macros(plugin: Any, *, serving: bool) -> None:
    """Swap the macros plugin's Jinja environment for a sandbox with our macros only.

    Runs after the plugin's own ``on_config`` (hooks follow plugins).

    Args:
        plugin: The mkdocs-macros plugin instance, or ``None`` when not configured.
        serving: Under ``mkdocs serve`` a failing macro shows its error on the page
            instead of ending the server (the plugin calls ``exit()`` otherwise).

    Raises:
        PluginError: The plugin would render pages that did not opt in.
    """
    if plugin is None:
        return
    if plugin.config["render_by_default"] is not False:
        raise PluginError(NOT_CLOSED)
    if serving:
        plugin.config["on_error_fail"] = False
    old = plugin.env
    env = ImmutableSandboxedEnvironment(
        loader=None,  # no {% include %} / {% import %}: a page reads no other file
        undefined=old.undefined,
        block_start_string=old.block_start_string, block_end_string=old.block_end_string,
        variable_start_string=old.variable_start_string,
        variable_end_string=old.variable_end_string,
        comment_start_string=old.comment_start_string,
        comment_end_string=old.comment_end_string,
    )
    env.globals = {name: fn for name, fn in plugin.macros.items()
                   if getattr(fn, "__module__", "").startswith("playbook")}
    plugin._env = env
    # The plugin passes its variables (config, environment, git, the plugin itself)
    # to every template; keep only the page it sets per render.
    plugin._variables = {"page": None}


_CALL = re.compile(r"\{\{-?\s*+([A-Za-z_]\w*+)\s*+\(")
"""A macro call in a page's text; each run is taken whole (``*+``), never given back."""


def missed_opt_in(plugin: Any, markdown: str, meta: Mapping[str, Any]) -> str | None:
    """The playbook macro a page calls without opting in, if any.

    Such a page shows the call as text; the build warns so the editor adds the line.
    """
    if plugin is None or meta.get("render_macros") is True:
        return None
    ours = plugin.env.globals  # the sandbox holds the playbook macros and nothing else
    return next((m.group(1) for m in _CALL.finditer(markdown) if m.group(1) in ours), None)
