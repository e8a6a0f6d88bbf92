"""Review: what changed (:mod:`.diff`), who signs it (:mod:`.sign`), who reviews it
(:mod:`.codeowners`).

Sits beside pages: reads the load and checks stages; ``sign`` is the one
command that writes a program file, and refuses rather than change more than
one sign-off entry.
"""
