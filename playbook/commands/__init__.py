"""The command line: ``playbook check | report | pages | new | sign | diff | codeowners |
schema``, parsing arguments and calling the engine; the top stage.
"""
