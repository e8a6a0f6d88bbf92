"""Stage 2, load: files → a :class:`~playbook.load.bundle.Bundle` per program + problems.

Reads ``program/<id>/*.yml`` with the position of every node
(:mod:`.yaml_source`), validates each file against the model (:mod:`.validate`),
reads measurement CSVs (:mod:`.csv_table`, :mod:`.observations`) and the
sign-offs' digests (:mod:`.signoffs`). Never raises on bad input: every
problem is collected with its ``file:line:column``. Imports only
:mod:`playbook.model`.

Problems are collected one way. A function that reads a value adds what is
wrong to the collector it is handed (a ``list[Problem]``, or the object that
holds one: :class:`~.tables.Tables` here, the checks'
:class:`~.reporter.Reporter`) and returns only the value; a function whose only
product is problems (a finder, a summary) returns them. A place in a program
file travels as one :class:`~.yaml_source.Where`. Only the readers of a whole
file or folder that other stages call (:func:`~.yaml_source.parse`,
:func:`~.validate.validate`, :func:`~.csv_table.read_table`, and the loader's
``load_settings``, ``load_program``, ``load_playbook``) return
``(value, problems)``: their callers, a worker process among them, hold no
collector.
"""
