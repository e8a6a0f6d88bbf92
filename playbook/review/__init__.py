"""Review: what changed (:mod:`.diff`, :mod:`.datadiff`), what it means for a signer
(:mod:`.impact`), the comment that says so (:mod:`.comment`, its editors' text
quoted by :mod:`.quoted`), who signs it (:mod:`.sign`) and who committed each
sign-off (:mod:`.signers`), who reviews it (:mod:`.codeowners`), and where it
came from (:mod:`.history`).

Sits beside pages: reads the load and checks stages; ``sign`` is the one
command that writes a program file, and refuses rather than change more than
one sign-off entry.
"""
