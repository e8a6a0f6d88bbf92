"""``make pdf``: each program's print packet printed to a PDF by headless Chromium.

``scripts/pdf.py`` serves the example site (built once per run, ``example_site``),
prints one program's packet once its charts have drawn, and the PDF's text (read with
``pdftotext`` from poppler-utils; ``make browser-deps``) carries the program's title
and its KPIs' names.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from sites import Site

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import pdf

REPO = Path(__file__).resolve().parents[1]
PROGRAM = "decision-velocity"


def _text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: install poppler-utils (make browser-deps)")
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())  # a title wrapped over two lines reads as one


@pytest.mark.browser
def test_a_program_packet_prints_to_pdf(example_site: Site, tmp_path: Path,
                                        browser: Any) -> None:
    program = yaml.safe_load((REPO / "program" / PROGRAM / "program.yml").read_text("utf-8"))
    kpis = yaml.safe_load((REPO / "program" / PROGRAM / "kpis.yml").read_text("utf-8"))
    written = pdf.make_pdfs(example_site.root, tmp_path / "site-pdf", [PROGRAM], browser)
    assert written == [tmp_path / "site-pdf" / f"{PROGRAM}.pdf"]
    assert written[0].read_bytes().startswith(b"%PDF-")
    text = _text(written[0])
    assert program["title"] in text
    assert kpis["kpis"][0]["name"] in text


@pytest.mark.site
def test_every_program_of_the_site_is_found(example_site: Site) -> None:
    found = pdf.programs(example_site.root)
    assert found[PROGRAM] == f"programs/{PROGRAM}/print/"
    assert set(found) == {p.name for p in (REPO / "program").iterdir() if p.is_dir()}


def test_the_offline_copy_names_its_print_pages_by_file(tmp_path: Path) -> None:
    (tmp_path / "programs" / "p1").mkdir(parents=True)
    (tmp_path / "programs" / "p1" / "print.html").write_text("<html></html>", "utf-8")
    assert pdf.programs(tmp_path) == {"p1": "programs/p1/print.html"}


@pytest.mark.site
def test_no_site_or_an_unknown_program_is_a_clear_error(example_site: Site,
                                                        tmp_path: Path) -> None:
    with pytest.raises(pdf.PdfError, match=r"no programs/<id>/print page \(build the site"):
        pdf.programs(tmp_path)
    with pytest.raises(pdf.PdfError, match=r"no print page for nope \(programs: "):
        pdf.make_pdfs(example_site.root, tmp_path, ["nope"])


@pytest.mark.browser
def test_a_chart_that_never_draws_prints_nothing(tmp_path: Path, browser: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "programs" / "p1" / "print").mkdir(parents=True)
    (site / "programs" / "p1" / "print" / "index.html").write_text(
        '<html><body><div class="pb-chart__plot"></div></body></html>', "utf-8")
    monkeypatch.setattr(pdf, "TIMEOUT_MS", 1000)
    with pytest.raises(pdf.PdfError, match=r"/programs/p1/print/: the charts did not all "
                                           r"draw within 1 s; nothing printed$"):
        pdf.make_pdfs(site, tmp_path / "out", browser=browser)
    assert not (tmp_path / "out" / "p1.pdf").exists()
