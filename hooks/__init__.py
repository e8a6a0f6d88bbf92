"""This repository's MkDocs entry (``hooks/playbook_hooks.py``), a package only so the
import contracts in ``pyproject.toml`` can see what it imports."""
