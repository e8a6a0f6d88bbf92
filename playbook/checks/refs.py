"""Error checks: every id resolves, lists are consistent, numbers add up."""

from __future__ import annotations

from playbook.load.reporter import Reporter
from playbook.model.base import ROLE_TITLES
from playbook.model.choices import Direction, RaciLetter


def _roles(report: Reporter) -> set[str]:
    program = report.bundle.program
    if program is None:
        return set(ROLE_TITLES)  # cannot tell: do not report roles twice
    people = program.stakeholders.model_dump(exclude_none=True)
    return set(people)


def check(report: Reporter) -> None:
    """Run the reference and consistency checks on ``report.bundle``."""
    _program(report)
    _competencies(report)
    _roadmap(report)
    _vendors(report)
    _kpis(report)
    _ai(report)


def _kpi_ids(report: Reporter) -> set[str] | None:
    kpis = report.bundle.kpis
    return {k.id for k in kpis.kpis} if kpis is not None else None


def _program(report: Reporter) -> None:
    b = report.bundle
    p = b.program
    if p is None:
        return
    if p.id != b.id:
        report.add("program", ("id",), f"program id '{p.id}' differs from its folder "
                   f"'{b.id}'", f"set 'id: {b.id}' or rename the folder")
    report.unique("program", ("strategy", "decisions"), [d.id for d in p.strategy.decisions],
                  "decision")
    report.unique("program", ("strategy", "hypotheses"),
                  [h.id for h in p.strategy.hypotheses], "hypothesis")
    behaviors = {x.id for x in b.competencies.behaviors} if b.competencies else None
    kpis = _kpi_ids(report)
    for i, h in enumerate(p.strategy.hypotheses):
        for j, ref in enumerate(h.behaviors):
            if behaviors is not None and ref not in behaviors:
                report.unknown("program", ("strategy", "hypotheses", i, "behaviors", j),
                               "behaviour", ref, behaviors)
        for j, ref in enumerate(h.kpis):
            if kpis is not None and ref not in kpis:
                report.unknown("program", ("strategy", "hypotheses", i, "kpis", j), "KPI", ref,
                               kpis)
    roles = _roles(report)
    for i, row in enumerate(p.raci):
        letters = row.letters()
        for role in letters:
            if role not in roles:
                report.add("program", ("raci", i, role),
                           f"role '{role}' has no person in stakeholders",
                           f"add stakeholders.{role} or remove it from this activity")
        accountable = [r for r, letter in letters.items() if letter is RaciLetter.ACCOUNTABLE]
        if len(accountable) != 1:
            found = ", ".join(accountable) if accountable else "none"
            report.add("program", ("raci", i, "activity"),
                       f"activity needs exactly one A (accountable), found {found}",
                       "give one role A; others R, C or I")
    for i, s in enumerate(p.signoff):
        if s.role not in roles:
            report.add("program", ("signoff", i, "role"),
                       f"role '{s.role}' has no person in stakeholders")


def _competencies(report: Reporter) -> None:
    b = report.bundle
    c = b.competencies
    if c is None:
        return
    report.unique("competencies", ("behaviors",), [x.id for x in c.behaviors], "behaviour")
    for i, level in enumerate(c.levels):
        if level in c.levels[:i]:
            report.add("competencies", ("levels", i), f"duplicate level '{level}'")
    decisions = {d.id for d in b.program.strategy.decisions} if b.program else None
    kpis = _kpi_ids(report)
    for i, x in enumerate(c.behaviors):
        loc = ("behaviors", i)
        if decisions is not None and x.decision not in decisions:
            report.unknown("competencies", (*loc, "decision"), "decision", x.decision, decisions)
        for j, ref in enumerate(x.kpis):
            if kpis is not None and ref not in kpis:
                report.unknown("competencies", (*loc, "kpis", j), "KPI", ref, kpis)
        if x.metric is not None and kpis is not None and x.metric not in kpis:
            report.unknown("competencies", (*loc, "metric"), "KPI", x.metric, kpis)
        for level in x.criteria:
            if level not in c.levels:
                report.unknown("competencies", (*loc, "criteria", level), "level", level,
                               c.levels, key=True)


def _roadmap(report: Reporter) -> None:
    b = report.bundle
    r = b.roadmap
    if r is None:
        return
    report.unique("roadmap", ("phases",), [p.id for p in r.phases], "phase")
    report.unique("roadmap", ("milestones",), [m.id for m in r.milestones], "milestone")
    previous_end = -1
    for i, phase in enumerate(r.phases):
        first, last = phase.days
        loc = ("phases", i, "days")
        if first > last:
            report.add("roadmap", loc, f"phase ends on day {last}, before it starts "
                       f"on day {first}", "write the days as [first, last]")
        elif first < 0 or last > 365:
            report.add("roadmap", loc, f"days [{first}, {last}] fall outside the roadmap's "
                       "days 0–365", "count days from the program's start, up to day 365")
        elif first <= previous_end:
            report.add("roadmap", loc, f"phase starts on day {first}, before the previous "
                       f"phase ends on day {previous_end}", "list phases in order without overlap")
        previous_end = max(previous_end, last)
    kpis = _kpi_ids(report)
    for i, phase in enumerate(r.phases):
        for j, gate in enumerate(phase.gate):
            if kpis is not None and gate.kpi not in kpis:
                report.unknown("roadmap", ("phases", i, "gate", j, "kpi"), "KPI", gate.kpi, kpis)
    phases = {p.id: p for p in r.phases}
    roles = _roles(report)
    for i, m in enumerate(r.milestones):
        home = phases.get(m.phase)
        if home is None:
            report.unknown("roadmap", ("milestones", i, "phase"), "phase", m.phase, phases)
        elif not home.days[0] <= m.day <= home.days[1]:
            report.add("roadmap", ("milestones", i, "day"),
                       f"day {m.day} is outside phase '{m.phase}' (days {home.days[0]}–"
                       f"{home.days[1]})")
        if m.owner not in roles:
            report.add("roadmap", ("milestones", i, "owner"),
                       f"role '{m.owner}' has no person in stakeholders",
                       f"add stakeholders.{m.owner} to program.yml")


def _vendors(report: Reporter) -> None:
    v = report.bundle.vendors
    if v is None:
        return
    report.unique("vendors", ("criteria",), [c.id for c in v.criteria], "criterion")
    report.unique("vendors", ("vendors",), [x.id for x in v.vendors], "vendor")
    total = sum(c.weight for c in v.criteria)
    if abs(total - 100) > 1e-9:
        report.add("vendors", ("criteria",), f"criteria weights sum to {total:g}, not 100",
                   "adjust the weights so they add up to 100")
    criteria = [c.id for c in v.criteria]
    gates = v.gate_ids()
    report.unique("vendors", ("gates",), gates, "gate")
    for i, vendor in enumerate(v.vendors):
        loc = ("vendors", i)
        for cid, score in vendor.scores.items():
            if cid not in criteria:
                report.unknown("vendors", (*loc, "scores", cid), "criterion", cid, criteria,
                               key=True)
            elif not 1 <= score <= 5:
                report.add("vendors", (*loc, "scores", cid),
                           f"score {score:g} is outside 1–5",
                           "1 is poor, 5 is excellent")
        missing = [c for c in criteria if c not in vendor.scores]
        if missing:
            report.add("vendors", (*loc, "scores"), "no score for " + ", ".join(missing),
                       "score every criterion from 1 to 5")
        for gate in vendor.clauses:
            twin = next((g for g in gates if g.replace("_", "-") == gate.replace("_", "-")),
                        None)
            if gate in gates:
                continue
            if twin is not None:  # a gate renamed to kebab-case, its clauses not yet
                report.add("vendors", (*loc, "clauses", gate), f"unknown gate '{gate}'",
                           f"did you mean '{twin}'?", key=True)
            else:
                report.unknown("vendors", (*loc, "clauses", gate), "gate", gate, gates,
                               key=True)


def _kpis(report: Reporter) -> None:
    b = report.bundle
    k = b.kpis
    if k is None:
        return
    report.unique("kpis", ("kpis",), [x.id for x in k.kpis], "KPI")
    roles = _roles(report)
    for i, kpi in enumerate(k.kpis):
        loc = ("kpis", i)
        if kpi.target.by <= kpi.baseline.date:
            report.add("kpis", (*loc, "target", "by"),
                       f"target date {kpi.target.by} is not after the baseline date "
                       f"{kpi.baseline.date}")
        lower = kpi.direction is Direction.DECREASE
        better = (kpi.target.value < kpi.baseline.value if lower
                  else kpi.target.value > kpi.baseline.value)
        if not better:
            report.add("kpis", (*loc, "target", "value"),
                       f"target {kpi.target.value:g} is not "
                       f"{'below' if lower else 'above'} the baseline "
                       f"{kpi.baseline.value:g}, but the direction is '{kpi.direction}'",
                       "fix the target or the direction")
        if kpi.owner is not None and kpi.owner not in roles:
            report.add("kpis", (*loc, "owner"), f"role '{kpi.owner}' has no person in "
                       "stakeholders", f"add stakeholders.{kpi.owner} to program.yml")
        name = kpi.source.connection if kpi.source is not None else None
        if name is not None and name not in b.connections:
            known = ", ".join(sorted(b.connections)) or "none"
            report.add("kpis", (*loc, "source", "connection"),
                       f"no connection '{name}' in playbook.yml (declared: {known})",
                       f"declare it: connections: {{{name}: {{env: PLAYBOOK_WAREHOUSE_URL}}}}")


def _ai(report: Reporter) -> None:
    b = report.bundle
    a = b.ai
    if a is None:
        return
    vendors = {v.id for v in b.vendors.vendors} if b.vendors else None
    roles = _roles(report)
    for i, tool in enumerate(a.tools):
        if tool.vendor and vendors is not None and tool.vendor not in vendors:
            report.unknown("ai", ("tools", i, "vendor"), "vendor", tool.vendor, vendors)
        for j, role in enumerate(tool.reviewers):
            if role not in roles:
                report.add("ai", ("tools", i, "reviewers", j),
                           f"role '{role}' has no person in stakeholders")
    names = [tool.name for tool in a.tools]
    if a.outcomes is not None and a.outcomes.tool is not None and a.outcomes.tool not in names:
        report.unknown("ai", ("outcomes", "tool"), "tool", a.outcomes.tool, names)
