"""playbook: leadership-development programs kept as code.

The engine reads program folders (YAML + CSV), checks them, computes the
measurement figures and renders Markdown pages. It never imports MkDocs; the
hooks in ``hooks/`` are a thin shell around it.
"""

from __future__ import annotations

__version__ = "0.1.0"
