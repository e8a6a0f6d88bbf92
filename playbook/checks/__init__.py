"""Stage 3, checks: a loaded bundle → problems across its files.

:mod:`.refs` checks that references resolve and numbers add up (errors);
:mod:`.domain` carries the practitioners' advice (findings, counted by
``--strict``); :mod:`.runner` runs them all through one :mod:`.reporter`.
Imports only from load and model.
"""
