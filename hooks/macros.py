"""mkdocs-macros module: thin wrappers over the engine's renderers.

Only ``define_env`` is used (the one macros entry point that survives a move
away from MkDocs hooks). The functions read the site data that the hook put on
the build's config and return Markdown rendered by the engine.
"""

from __future__ import annotations

from typing import Any

from playbook.pages import macros


def define_env(env: Any) -> None:
    """Register the playbook macros for hand-written pages."""
    macros.register(env.macro, lambda: env.conf["playbook_site"])
