"""``python -m bench``: the portfolio-scale benchmark (:mod:`bench.run`)."""

from bench.run import main

main()
