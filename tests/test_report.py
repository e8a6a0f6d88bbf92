"""``playbook report``: the JSON agrees with compute(); exit codes; privacy of the output."""

from __future__ import annotations

import json
import math
import shutil
from datetime import date
from pathlib import Path

import pytest

from playbook.commands.cli import main
from playbook.commands.report import report as run
from playbook.engine import load_playbook
from playbook.figures.program import ProgramFigures, compute, to_jsonable
from playbook.figures.stats import BehaviourEffect, Interval, PairedEffect
from playbook.model.problems import UnknownProgramError

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 15)
PROGRAMS = sorted(p.name for p in (ROOT / "program").iterdir() if p.is_dir())


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_report_agrees_with_compute(program_id: str) -> None:
    code, text = run(ROOT, program_id, TODAY)
    assert code == 0, text
    playbook, _ = load_playbook(ROOT)
    bundle = playbook.get(program_id)
    assert bundle is not None
    expected = json.loads(json.dumps(to_jsonable(compute(bundle, TODAY))))
    assert json.loads(text) == expected
    assert expected["program_id"] == program_id and expected["today"] == "2026-11-15"


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_report_shows_no_person_and_no_small_group(program_id: str) -> None:
    playbook, _ = load_playbook(ROOT)
    bundle = playbook.get(program_id)
    assert bundle is not None and bundle.kpis is not None
    _, text = run(ROOT, program_id, TODAY)
    subjects = {o.subject for s in bundle.series.values() for o in s if o.subject}
    assert not any(f'"{s}"' in text for s in subjects)
    figs = compute(bundle, TODAY)
    floor = bundle.kpis.privacy.min_group_size
    for kpi in bundle.kpis.kpis:
        if kpi.source is not None and kpi.source.subject is not None:
            for p in figs.kpis[kpi.id].points:
                assert p.value is None or p.n >= floor
    for effect in figs.behaviour.values():
        for paired in (effect.pilot, effect.comparison):
            assert paired is None or paired.n >= floor
    if figs.fairness is not None:
        assert all(g.n >= floor for g in figs.fairness.groups)


def test_unknown_program_exits_2_and_lists_known_ids(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    with pytest.raises(UnknownProgramError) as raised:
        run(ROOT, "no-such-program", TODAY)
    assert str(raised.value) == ("unknown program 'no-such-program'; known programs: "
                                 + ", ".join(PROGRAMS))
    assert main(["report", "no-such-program", "--dir", str(ROOT)]) == 2
    assert capsys.readouterr().err == (
        "playbook report: unknown program 'no-such-program'; known programs: "
        + ", ".join(PROGRAMS) + "\n")


def test_errors_exit_1_with_the_checkers_errors(tmp_path: Path) -> None:
    pid = PROGRAMS[0]
    shutil.copytree(ROOT / "program" / pid, tmp_path / "program" / pid)
    shutil.copytree(ROOT / "data" / pid, tmp_path / "data" / pid)
    kpis = tmp_path / "program" / pid / "kpis.yml"
    kpis.write_text(kpis.read_text().replace("target:", "tagret:", 1))
    code, text = run(tmp_path, pid, TODAY)
    assert code == 1
    assert f"program/{pid}/kpis.yml:" in text and "tagret" in text


def test_cli_today_from_flag_and_environment(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    pid = PROGRAMS[0]
    assert main(["report", pid, "--format", "json", "--dir", str(ROOT),
                 "--today", "2026-05-01"]) == 0
    assert json.loads(capsys.readouterr().out)["today"] == "2026-05-01"
    monkeypatch.setenv("PLAYBOOK_TODAY", "2026-06-02")
    assert main(["report", pid, "--dir", str(ROOT)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["today"] == "2026-06-02"
    assert out["day"] == (date(2026, 6, 2) - date.fromisoformat(
        _start(pid))).days


def _start(pid: str) -> str:
    playbook, _ = load_playbook(ROOT)
    bundle = playbook.get(pid)
    assert bundle is not None and bundle.program is not None
    return bundle.program.start.isoformat()


def test_to_jsonable_turns_nan_and_inf_into_null() -> None:
    effect = PairedEffect("pilot", 2, 1.0, 1.0, 0.0, 0.0, Interval(0.0, 0.0), math.nan,
                          math.inf)
    figs = ProgramFigures("x", TODAY, 3, {}, {"k": BehaviourEffect(
        "k", effect, None, None, None, 0, [])}, None, None, None, [])
    data = to_jsonable(figs)
    pilot = data["behaviour"]["k"]["pilot"]  # type: ignore[index]
    assert pilot["d_z"] is None and pilot["p_value"] is None
    assert pilot["ci"] == {"low": 0.0, "high": 0.0, "level": 0.95}
    assert data["today"] == "2026-11-15"
    json.dumps(data, allow_nan=False)
