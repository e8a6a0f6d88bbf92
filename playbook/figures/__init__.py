"""Stage 4, figures: bundle + date → frozen numbers and states, never formatted.

KPI status against its trajectory (:mod:`.trajectory`), behaviour effects
(:mod:`.stats`), ROI (:mod:`.roi`), the four-fifths check (:mod:`.fairness`),
vendor ranking (:mod:`.vendors`), roadmap and review states
(:mod:`.timeline`), gathered per program by :mod:`.program` and per playbook
by :mod:`.site`. The site and ``playbook report`` read the same objects.
"""
