"""The MkDocs shell around the engine: what only a MkDocs build needs.

:mod:`.plugin` is the plugin (``- playbook`` under ``plugins:``, or this
repository's ``hooks/playbook_hooks.py``), a few lines per event that call the
engine and these modules; the engine (``playbook/``) never imports MkDocs. :mod:`.publish`
builds into a staging folder and swaps it in only after a whole, clean build;
:mod:`.sandbox` keeps every template away from text that came from a user's
files; :mod:`.provenance` puts the commit, build date and versions in every
page's footer and printout, and the edit link on program pages.
:mod:`.offline` makes the offline build work opened from disk.
"""
