"""The one door to the engine: files → load → checks → figures, for every caller.

The MkDocs plugin, every ``playbook`` command and the review ask the engine,
never the stages themselves (an import-linter contract in ``pyproject.toml``
holds them to it), so the stages always run in the same order and every
caller meets the same problems for the same files. The build date is
injected (``PLAYBOOK_TODAY`` or an argument) so the same commit builds the
same site.

Operations:
    :func:`check_playbook`: every problem, without the programs (``playbook check``).
    :func:`load_playbook`: the programs loaded and checked, with every problem.
    :func:`program`: one program and the errors that stop it (``playbook sign``).
    :func:`build`: the site's data (the plugin, ``playbook pages``).
    :func:`evaluate`: programs, problems and figures on a day (a review's side).
    :func:`report`: one program's figures as JSON data (``playbook report``).
    :func:`pull`: the warehouse queries' results, checked (``playbook pull``).
    :func:`migrate`: the playbook brought to the current format version (``playbook migrate``).
    :func:`blocking`: what stops a context (pre-commit, pull request, build, preview,
        deploy) under the publishing policy of ``playbook.yml``.
"""

from playbook.engine.cache import BuildCache
from playbook.engine.loading import Progress, check_playbook, collecting_after, load_playbook
from playbook.engine.migration import Migration, migrate
from playbook.engine.operations import (
    Evaluation,
    build,
    errors_of,
    evaluate,
    program,
    report,
)
from playbook.engine.policy import Context, blocking, publish_policy
from playbook.engine.pulling import Snapshot, pull
from playbook.engine.today import TODAY_ENV, TodayError, today_from_env

__all__ = ["TODAY_ENV", "BuildCache", "Context", "Evaluation", "Migration", "Progress",
           "Snapshot", "TodayError", "blocking", "build", "check_playbook", "collecting_after",
           "errors_of", "evaluate", "load_playbook", "migrate", "program", "publish_policy",
           "pull", "report", "today_from_env"]
