"""``playbook pseudonymise`` in the engine: an export's identifier columns keyed, then written.

The key is found first (:func:`playbook.load.pseudonym.key_from`), so a missing
key stops the command before a byte is read; the export is read whole (a regular
file, at most :data:`~playbook.load.csv_table.MAX_BYTES`), rewritten in memory and
written under ``data/`` by :func:`playbook.load.safewrite.write_files`: the old file
is replaced whole or not at all, never through a link.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from playbook.load.csv_table import MAX_BYTES
from playbook.load.pseudonym import KEY_ENV, PseudonymError, key_from
from playbook.load.pseudonym_files import pseudonymise as rewrite
from playbook.load.safefiles import Refusal, open_regular, real_path, too_large
from playbook.load.safewrite import write_files

__all__ = ["KEY_ENV", "PseudonymError", "pseudonymise"]


def _target(root: Path, file: Path, out: Path | None) -> PurePosixPath:
    """Where the pseudonymised export goes, relative to ``root``: below ``data/``."""
    where = out if out is not None else file
    rel = PurePosixPath(Path(os.path.relpath(os.path.abspath(where),
                                             os.path.abspath(root))).as_posix())
    if rel.parts[:1] != ("data",) or len(rel.parts) < 3:
        named = "--out" if out is not None else "the export"
        raise PseudonymError(f"{named} '{where}' is not under data/<program>/ of the playbook "
                             f"folder '{root}'; name where the export goes with --out "
                             "data/<program>/<file> (nothing was written)")
    return rel


def _read(file: Path) -> bytes:
    found = real_path(file)
    opened = None if found is None else open_regular(found, str(file))
    if opened is None:
        raise PseudonymError(f"export '{file}' does not exist (nothing was written)")
    if isinstance(opened, Refusal):
        raise PseudonymError(f"{opened.message} (nothing was written)")
    stream, size = opened
    with stream:
        if size > MAX_BYTES:
            raise PseudonymError(f"{file}: {too_large(size, MAX_BYTES, 'an export')} "
                                 "(nothing was written)")
        return stream.read()


def pseudonymise(root: Path, file: Path, columns: Sequence[str], *, out: Path | None = None,
                 key_env: str | None = None, key_file: Path | None = None) -> PurePosixPath:
    """Replace ``columns`` of the export ``file`` with keyed pseudonyms and write it.

    Args:
        root: The playbook folder.
        file: The export, wherever it is (a download folder, or already under ``data/``).
        columns: Its identifier columns (dotted key paths for JSON Lines).
        out: Where it goes (default: ``file`` itself, which must then be under ``data/``).
        key_env: The environment variable holding the key (default
            :data:`~playbook.load.pseudonym.KEY_ENV`).
        key_file: A file outside the playbook folder holding the key instead.

    Returns:
        The written file, relative to ``root``.

    Raises:
        PseudonymError: No key, a short key, a key file inside the playbook, an export
            that cannot be read, a column it does not have, or a target outside
            ``data/``: nothing was written.
        WriteRefused: A link or a non-folder on the way to the target.
    """
    if not columns:
        raise PseudonymError("name the identifier columns with --columns (nothing was written)")
    key = key_from(root, key_env, key_file)
    target = _target(root, file, out)
    data = rewrite(_read(file), file.suffix, columns, key, str(file))
    write_files(root, [(target, data)])
    return target
