"""The playbook macros for mkdocs-macros, with or without the playbook plugin.

The plugin registers the macros in its ``on_config`` and hands them the site data
it has just built (:data:`STATE_KEY` on the build's configuration). A configuration
that runs mkdocs-macros without the plugin (no ``- playbook`` under ``plugins:``, no
``hooks/`` entry) names this module instead::

    plugins:
      - macros:
          render_by_default: false
          modules: [playbook_mkdocs.macros]

and the macros build the site data through the engine on their first call, once per
build, from the folder of ``mkdocs.yml`` on ``PLAYBOOK_TODAY`` (else today), as the
plugin does: the same program gives the same Markdown either way. Pages render in the
same sandbox (:mod:`playbook_mkdocs.sandbox`), so a page without the plugin is fail
closed too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from jinja2.sandbox import ImmutableSandboxedEnvironment

from playbook import engine
from playbook.figures.site import SiteData
from playbook.pages import macros
from playbook_mkdocs import provenance, sandbox

STATE_KEY: Final = "playbook_site"
"""Key on the per-build config that carries the plugin's site data to the macros."""


def site_macros(site: Callable[[], SiteData]) -> dict[str, Callable[..., Any]]:
    """The macros hand-written pages may call, by name, reading ``site`` when they run."""
    found: dict[str, Callable[..., Any]] = {}
    macros.register(lambda fn: found.setdefault(fn.__name__, fn), site)
    return found


def _built(root: Path) -> SiteData:
    """Every program's figures as the plugin computes them, or the errors that stop them.

    Raises:
        MacroError: The playbook has errors (``mkdocs build`` stops on them too).
    """
    data, problems = engine.build(root, engine.today_from_env())
    if data is None or problems.errors:
        raise macros.MacroError("playbook check failed; the macros have no figures:\n"
                                + "\n".join(str(p) for p in problems.errors))
    return provenance.stamp(data)


def site_data(config: Mapping[str, Any]) -> Callable[[], SiteData]:
    """The site data of the build ``config`` describes, for the macros to read.

    The plugin's, when it ran this build (it sets :data:`STATE_KEY`); else built
    through the engine on the first call and kept for the rest of the build.
    """
    kept: list[SiteData] = []

    def site() -> SiteData:
        if STATE_KEY in config:
            data: SiteData = config[STATE_KEY]
            return data
        if not kept:
            kept.append(_built(Path(str(config["config_file_path"])).resolve().parent))
        return kept[0]

    return site


def define_env(env: Any) -> None:
    """mkdocs-macros' entry: register every playbook macro with ``env`` (the plugin).

    The playbook plugin, when it runs too, registers only what is missing here.
    """
    for name, fn in site_macros(site_data(env.conf)).items():
        env.macro(fn, name)


def on_pre_page_macros(env: Any) -> None:
    """Before a page renders: the sandbox, when no playbook plugin put it in place."""
    if not isinstance(env.env, ImmutableSandboxedEnvironment):
        page = env.variables.get("page")
        sandbox.sandbox_macros(env, serving=False)
        env.variables["page"] = page
