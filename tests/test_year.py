"""A year of the monthly cycle, end to end, in a git repository made in the test.

A charge-nurse leadership program (the mini fixture, run as a hospital's) gets
one commit a month of new export rows, the way an editor's pull request brings
them: staffing start times, the share of shifts staffed from the shared board,
and a 360 survey whose post wave closes with three of ten pilot respondents
gone (attrition above the threshold, a fact of a closed wave nothing can
undo). Some months change the definition (a review recorded, a read option
for a new export format, the publishing policy, an acknowledgement renewed),
which makes the sign-offs stale until the signers sign again with keys made
here by ``ssh-keygen``; one month a sign-off is forged with another key; one
acknowledgement expires; one export brings a duplicate row, another a typo.

For each commit the test asks what the pre-commit hook (``check --for
pre-commit``), the pull request's check (``--for pr``), its sign-off status
(``--for signoff``), its preview (``--for preview`` and the engine's pages)
and the deploy of main (``--for deploy``) say, and checks them against the
policy: errors block everywhere; findings, acknowledged or not, never block
until the policy asks for acknowledgements; the sign-off status and the deploy
wait for the required roles' current, verified sign-offs; nothing else waits.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import RunCli, TmpPlaybook
from test_sshsig import keypair

from playbook.engine import load_playbook
from playbook.pages import severities

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="no ssh-keygen")

POLICY = "publish:\n  require_signoffs: [sponsor, business_owner]\n"
CONTEXTS = ("pre-commit", "pr", "signoff", "preview", "deploy")
PILOT = [f"n-{i:02d}" for i in range(10)]
COMPARISON = [f"c-{i:02d}" for i in range(10)]
LEFT = PILOT[:3]
"""Pilot respondents with no post answer: 30%, above the 20% threshold."""
SHIFT_BOARD = [18, 27, 36, 44, 51, 57, 61, 64, 66, 68, 69, 70]
"""Share of shifts staffed from the shared board, January to December."""


@dataclass
class Year:
    """The playbook repository, the signers' keys and git."""

    pb: TmpPlaybook
    run_cli: RunCli
    keys: dict[str, Path]

    @property
    def root(self) -> Path:
        return self.pb.root

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", "-C", str(self.root), "-c", "user.name=Editor",
                               "-c", "user.email=editor@example.invalid", *args],
                              check=True, capture_output=True, text=True)
        return done.stdout

    def append(self, rel: str, *rows: str) -> None:
        self.pb.write(rel, self.pb.read(rel) + "".join(f"{r}\n" for r in rows))

    def sign(self, role: str, key: str, day: str) -> None:
        code, _, err = self.run_cli("sign", "mini", "--role", role, "--key", self.keys[key],
                                    "--date", day, "--dir", self.root)
        assert code == 0, err


@dataclass(frozen=True)
class Said:
    """What each place says about one commit."""

    exits: dict[str, int]
    """``--for`` context → exit code of ``playbook check``."""
    pending: list[str]
    """``code role`` of each pending item."""
    findings: list[str]
    """Code of each finding not acknowledged."""
    acknowledged: list[str] = field(default_factory=list)


def said(year: Year, monkeypatch: pytest.MonkeyPatch, today: str) -> Said:
    monkeypatch.setenv("PLAYBOOK_TODAY", today)
    exits = {c: year.run_cli("check", year.root, "--for", c)[0] for c in CONTEXTS}
    problems = load_playbook(year.root)[1]
    return Said(exits, [f"{p.code} {p.role}".strip() for p in problems.pending],
                [p.code or "error" for p in problems.findings + problems.errors],
                [p.code for p in problems.acknowledged])


def bump(year: Year, version: str) -> None:
    text = year.pb.read("program.yml")
    old = next(line for line in text.splitlines() if line.startswith("version: "))
    year.pb.edit("program.yml", f"\n{old}\n", f"\nversion: {version}\n")


def month_rows(year: Year, month: int, *, pilot: float, comparison: float) -> None:
    day = f"2026-{month:02d}-01"
    year.append("data/mini/start_time.csv", f"{day},{pilot},pilot",
                f"{day},{comparison},comparison")
    sep = ";" if year.pb.read("data/mini/board_use.csv").startswith("month;") else ","
    year.append("data/mini/board_use.csv", f"{day}{sep}{SHIFT_BOARD[month - 1]}")


Step = Callable[[Year], None]


def survey(wave: str, day: str, people: list[str], group: str, lift: float) -> list[str]:
    """One 360 wave: the same spread of scores for everyone, ``lift`` added."""
    return [f"{day},{3.0 + (i % 5) / 10 + lift:.2f},{p},{wave},{group}"
            for i, p in enumerate(people)]


def setup(y: Year) -> None:
    """The program as signed in December: policy, keys, no data after 2025."""
    y.pb.write("data/mini/start_time.csv", "month,days,group\n2025-12-01,30.5,pilot\n"
               "2025-12-01,29.5,comparison\n")
    y.pb.write("data/mini/board_use.csv", "month,pct\n2025-12-01,10\n")
    y.pb.write("data/mini/leader_360.csv", "surveyed_on,score,subject,wave,group\n")
    y.pb.edit("kpis.yml", "      wave: wave\n",
              "      wave: wave\n      closes: {pre: 2026-01-09, post: 2026-04-10}\n")
    y.pb.write("reviews.yml", "reviews: []\n")
    y.pb.write("./playbook.yml", POLICY)
    y.pb.write("./allowed_signers", "".join(
        f"{handle} {(y.keys[who].with_suffix('.pub')).read_text().split(' ', 2)[0]} "
        f"{(y.keys[who].with_suffix('.pub')).read_text().split()[1]}\n"
        for handle, who in (("@aquill", "ada"), ("@bortiz", "ben"))))
    y.sign("sponsor", "ada", "2025-12-20")
    y.sign("business_owner", "ben", "2025-12-20")


def january(y: Year) -> None:
    month_rows(y, 1, pilot=29.0, comparison=29.5)
    y.append("data/mini/leader_360.csv", *survey("pre", "2026-01-05", PILOT, "pilot", 0),
             *survey("pre", "2026-01-05", COMPARISON, "comparison", 0))


def february(y: Year) -> None:
    """The staffing export repeats a row: a finding, read once, never a block."""
    month_rows(y, 2, pilot=27.5, comparison=29.0)
    y.append("data/mini/start_time.csv", "2026-02-01,27.5,pilot")


def march(y: Year) -> None:
    """The repeated row is gone; someone signs as the business owner with their own key."""
    y.pb.write("data/mini/start_time.csv",
               y.pb.read("data/mini/start_time.csv").replace("2026-02-01,27.5,pilot\n", "", 1))
    month_rows(y, 3, pilot=26.0, comparison=29.0)
    y.sign("business_owner", "mallory", "2026-03-10")


def april(y: Year) -> None:
    """The post wave closes with three of ten pilot respondents gone; Ben signs himself."""
    month_rows(y, 4, pilot=25.0, comparison=28.5)
    stayed = [p for p in PILOT if p not in LEFT]
    y.append("data/mini/leader_360.csv", *survey("post", "2026-04-03", stayed, "pilot", 0.4),
             *survey("post", "2026-04-03", COMPARISON, "comparison", 0.05))
    y.sign("business_owner", "ben", "2026-04-12")


ACK = ("acknowledgements:\n"
       "  - code: attrition-high\n"
       "    file: program/mini/kpis.yml\n"
       "    field: kpis[2].source\n"
       "    reason: The post wave closed; three charge nurses left the ward before it.\n"
       "    accepted_by: sponsor\n"
       "    until: {until}\n")


def may(y: Year) -> None:
    """The attrition is acknowledged (a definition change: sign-offs go stale, unsigned)."""
    month_rows(y, 5, pilot=24.0, comparison=28.5)
    y.pb.write("program.yml", y.pb.read("program.yml") + ACK.format(until="2026-08-31"))


def june(y: Year) -> None:
    """The day-90 review is recorded, the version bumped, both sign."""
    month_rows(y, 6, pilot=23.5, comparison=28.0)
    y.pb.write("reviews.yml", "reviews:\n  - day: 90\n    date: 2026-05-20\n"
               "    decision: continue\n    notes: Board use passed the gate in March\n")
    bump(y, "1.1.0")
    y.sign("sponsor", "ada", "2026-06-10")
    y.sign("business_owner", "ben", "2026-06-11")


def july_typo(y: Year) -> None:
    month_rows(y, 7, pilot=23.0, comparison=28.0)
    y.pb.edit("data/mini/start_time.csv", "2026-07-01,23.0,pilot", "2026-07-01,2e.0,pilot")


def july_fixed(y: Year) -> None:
    y.pb.edit("data/mini/start_time.csv", "2026-07-01,2e.0,pilot", "2026-07-01,23.0,pilot")


def august(y: Year) -> None:
    """The board export now comes with semicolons: a read option (a definition change);
    the day-180 review is recorded; only the sponsor signs this month."""
    month_rows(y, 8, pilot=22.5, comparison=28.0)
    y.pb.write("data/mini/board_use.csv",
               y.pb.read("data/mini/board_use.csv").replace(",", ";"))
    y.pb.edit("kpis.yml", "source: {file: data/mini/board_use.csv, date: month, value: pct}",
              "source: {file: data/mini/board_use.csv, date: month, value: pct, "
              "read: {delimiter: ';'}}")
    y.append("reviews.yml", "  - day: 180", "    date: 2026-07-20", "    decision: scale",
             "    notes: Start time 18% shorter for the pilot wards")
    bump(y, "1.2.0")
    y.sign("sponsor", "ada", "2026-08-12")


def september(y: Year) -> None:
    """The business owner signs; the acknowledgement expired at the end of August."""
    month_rows(y, 9, pilot=22.0, comparison=28.0)
    y.sign("business_owner", "ben", "2026-09-03")


def october(y: Year) -> None:
    """The policy now wants findings acknowledged before a deploy (no sign-off voided:
    playbook.yml is not a program's definition)."""
    month_rows(y, 10, pilot=22.0, comparison=27.5)
    y.pb.write("./playbook.yml", POLICY + "  findings_must_be_acknowledged: true\n")


def november(y: Year) -> None:
    """The acknowledgement is renewed until March; both sign the new version."""
    month_rows(y, 11, pilot=21.5, comparison=27.5)
    y.pb.edit("program.yml", "until: 2026-08-31", "until: 2027-03-31")
    bump(y, "1.3.0")
    y.sign("sponsor", "ada", "2026-11-05")
    y.sign("business_owner", "ben", "2026-11-06")


def december(y: Year) -> None:
    """Ben's new laptop: his key is replaced in allowed_signers and he signs again."""
    month_rows(y, 12, pilot=21.0, comparison=27.5)
    pub = y.keys["ben2"].with_suffix(".pub").read_text().split()
    y.pb.write("./allowed_signers", "".join(
        line if not line.startswith("@bortiz ") else f"@bortiz {pub[0]} {pub[1]}\n"
        for line in y.pb.read("./allowed_signers").splitlines(keepends=True)))
    y.sign("business_owner", "ben2", "2026-12-02")


OK = dict.fromkeys(CONTEXTS, 0)
WAITING = {**OK, "signoff": 1, "deploy": 1}
"""A required sign-off is pending: the status and the deploy wait, nothing else does."""
BROKEN = {**OK, "pre-commit": 1, "pr": 1, "preview": 1, "deploy": 1}
"""An error: every place but the sign-off status stops."""
STALE_BOTH = ["signoff-stale business_owner", "signoff-stale sponsor"]

YEAR: list[tuple[Step, str, Said]] = [
    (setup, "2025-12-20", Said(OK, [], [])),
    (january, "2026-01-15", Said(OK, [], [])),
    (february, "2026-02-15", Said(OK, [], ["row-repeated"])),
    (march, "2026-03-15", Said(WAITING, ["signoff-unverifiable business_owner"], [])),
    (april, "2026-04-15", Said(OK, [], ["attrition-high"])),
    (may, "2026-05-15", Said(WAITING, ["review-overdue", *STALE_BOTH], [],
                             ["attrition-high"])),
    (june, "2026-06-15", Said(OK, [], [], ["attrition-high"])),
    (july_typo, "2026-07-15", Said(BROKEN, [], ["error"], ["attrition-high"])),
    (july_fixed, "2026-07-16", Said(OK, [], [], ["attrition-high"])),
    (august, "2026-08-15", Said(WAITING, ["signoff-stale business_owner"], [],
                                ["attrition-high"])),
    (september, "2026-09-15", Said(OK, [], ["attrition-high"])),
    (october, "2026-10-15", Said({**OK, "deploy": 1}, [], ["attrition-high"])),
    (november, "2026-11-15", Said(OK, [], [], ["attrition-high"])),
    (december, "2026-12-15", Said(OK, [], [], ["attrition-high"])),
]


@pytest.fixture
def year(tmp_playbook: TmpPlaybook, run_cli: RunCli, tmp_path: Path) -> Year:
    folder = tmp_path / "keys"
    folder.mkdir()
    keys = {who: keypair(folder, who)[0] for who in ("ada", "ben", "ben2", "mallory")}
    y = Year(tmp_playbook, run_cli, keys)
    y.git("init", "-q")
    return y


def preview_shows(year: Year, today: str, pending: list[str], fails: int) -> None:
    """The preview (the engine's pages) builds unless there is an error, and the
    program's page shows each pending item."""
    out = year.root.parent / f"preview-{today}"
    code, _, err = year.run_cli("pages", "--out", out, "--dir", year.root, "--today", today)
    assert code == fails, err
    if fails:
        return
    page = (out / "programs" / "mini" / "index.md").read_text(encoding="utf-8")
    if not pending:
        assert "Pending:" not in page
        return
    assert f"Pending: {len(pending)} item(s)" in page
    for item in pending:
        assert f"<code>{item.split()[0]}</code>" in page


def diff_of_the_month(year: Year, today: str) -> str:
    code, out, err = year.run_cli("diff", "HEAD~1", "HEAD", "--dir", year.root,
                                  "--today", today)
    assert (code, err) == (0, "")
    return out


def test_a_year_of_monthly_commits(year: Year, monkeypatch: pytest.MonkeyPatch) -> None:
    for step, today, expected in YEAR:
        step(year)
        year.git("add", "-A")
        year.git("commit", "-qm", step.__name__, f"--date={today}T09:00:00")
        got = said(year, monkeypatch, today)
        assert got.exits == expected.exits, step.__name__
        assert sorted(got.pending) == sorted(expected.pending), step.__name__
        assert got.findings == expected.findings, step.__name__
        assert got.acknowledged == expected.acknowledged, step.__name__
        # the preview is built whatever is pending, and shows what waits
        preview_shows(year, today, got.pending, got.exits["preview"])
        if step is march:  # the forged sign-off is named by the sign-off status
            code, out, _ = year.run_cli("check", year.root, "--for", "signoff")
            assert code == 1
            assert ": pending signoff-unverifiable: signoff[2].signature: sign-off by " \
                   "business_owner (Ben Ortiz, 2026-03-10) is unverifiable: " in out
        if step is august:  # a read option is a definition change that voids sign-offs
            out = diff_of_the_month(year, today)
            assert ("| definition | kpis.yml | <code>kpis\\[board-use\\].source.read."
                    "delimiter</code> | — | ; |") in out
            assert "This change makes these sign-offs stale: sponsor \\(Ada Quill, " \
                   "2026-06-10, version 1.1.0\\), business\\_owner \\(Ben Ortiz, " \
                   "2026-06-11, version 1.1.0\\). They must sign again." in out
            assert "| <code>signoff-stale</code> |" in out.split("### Pending")[1]
            assert out.rstrip().endswith("| yes |")  # the policy requires the role
            data = json.loads(year.run_cli("diff", "HEAD~1", "HEAD", "--dir", year.root,
                                           "--today", today, "--format", "json")[1])
            assert [(p["code"], p["role"], p["required"]) for p in data["pending"]] == [
                ("signoff-stale", "business_owner", True)]
            code, out, err = year.run_cli("check", year.root, "--for", "deploy")
            assert code == 1 and "(1 more blocking deploy)" in err
        if step is september:  # the acknowledgement's day passed: a finding again
            out = year.run_cli("check", year.root)[1]
            assert "; its acknowledgement held until 2026-08-31)" in out
        if step is october:  # a change of policy is a change of meaning, said first
            out = diff_of_the_month(year, today)
            assert out.startswith("No change to any program's definition.\n")
            assert ("### Publishing policy\n\nThis change alters what every program must "
                    "meet before main is published") in out
            assert "| <code>findings\\_must\\_be\\_acknowledged</code> | false | true |" in out
        if step is december:  # a key replaced in allowed_signers is shown to reviewers
            out = diff_of_the_month(year, today)
            assert "| <code>@\u200dbortiz</code> | changed |" in out
            assert "business\\_owner of mini |" in out


def test_the_year_in_the_format_reference_is_this_one() -> None:
    """The reference's table of a year says what this test asserts, month by month."""
    by_month = {step.__name__[:3].capitalize(): said for step, _, said in YEAR
                if step not in (setup, july_fixed)}
    for month, _, check, signoff, deploy in severities.YEAR:
        exits = by_month[month].exits
        assert (check, signoff, deploy) == (
            "fails" if exits["pr"] else "ok", "pending" if exits["signoff"] else "ok",
            "refused" if exits["deploy"] else "ok"), month
