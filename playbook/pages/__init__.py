"""Stage 5, pages: figures → escaped Markdown, never computing.

Every user value passes through :mod:`.mdtext`, whose ``Md`` type the type
checker requires; charts (:mod:`.charts`) and the logic-chain diagram
(:mod:`.diagram`) are escaped HTML. :mod:`.site_pages` lists the pages,
:mod:`.macros` serves hand-written pages, :mod:`.reference` generates the
format reference from the model.
"""
