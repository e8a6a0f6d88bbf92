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
    :func:`lock`: each program's data contract as its data is now (``playbook lock``).
    :func:`pseudonymise`: an export's identifier columns keyed (``playbook pseudonymise``).
    :func:`explain`: the query behind a KPI, its measure compiled (``playbook explain``).
    :func:`migrate`: the playbook brought to the current format version (``playbook migrate``).
    :func:`blocking`: what stops a context (pre-commit, pull request, build, preview,
        deploy) under the publishing policy of ``playbook.yml``.
"""

from playbook.engine.cache import BuildCache
from playbook.engine.contracting import LockFile, lock
from playbook.engine.explaining import UnknownKpiError, explain
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
from playbook.engine.policy import (
    SIGNOFF_CODES,
    Context,
    blocking,
    publish_policy,
    required_signoffs,
)
from playbook.engine.pseudonymising import PseudonymError, pseudonymise
from playbook.engine.pulling import Snapshot, pull
from playbook.engine.today import TODAY_ENV, TodayError, today_from_env

__all__ = ["SIGNOFF_CODES", "TODAY_ENV", "BuildCache", "Context", "Evaluation", "LockFile",
           "Migration", "Progress", "PseudonymError", "Snapshot", "TodayError",
           "UnknownKpiError", "blocking", "build", "check_playbook", "collecting_after",
           "errors_of", "evaluate", "explain", "load_playbook", "lock", "migrate", "program",
           "pseudonymise", "publish_policy", "pull", "report", "required_signoffs",
           "today_from_env"]
