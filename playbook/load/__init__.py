"""Stage 2, load: files → a :class:`~playbook.load.bundle.Bundle` per program + problems.

Reads ``program/<id>/*.yml`` with the position of every node
(:mod:`.yaml_source`), validates each file against the model (:mod:`.validate`),
reads measurement CSVs (:mod:`.csv_table`, :mod:`.observations`) and the
sign-offs' digests (:mod:`.signoffs`). Never raises on bad input: every
problem is collected with its ``file:line:column``. Imports only
:mod:`playbook.model`.
"""
