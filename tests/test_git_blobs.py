"""review.git.blobs: every file of a revision read by one git process, byte for byte as
``git cat-file blob`` reads each, one at a time, and a clear error for what is not a blob."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from playbook.review import git
from playbook.review.git import DiffError, blob, blobs, resolve, tree

CONTENTS = {
    "empty.txt": b"",
    "newlines.csv": b"a,b\n\n1,2\n",
    "no-final-newline.yml": b"id: x",
    "binary.bin": bytes(range(256)) * 3,
    "same-as-empty.txt": b"",  # the same blob id twice
    "header-like.txt": b"0123456789012345678901234567890123456789 blob 5\nhello\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    for name, data in CONTENTS.items():
        (tmp_path / "data" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "data" / name).write_bytes(data)
    _commit(tmp_path)
    return tmp_path, resolve(tmp_path, "HEAD")


def _commit(root: Path) -> None:
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.invalid",
                  "commit", "-qm", "files"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_every_blob_is_read_by_one_process_as_cat_file_reads_it(
        repo: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    root, commit = repo
    listed = tree(root, commit, "data")
    assert len(listed) == len(CONTENTS)
    one_by_one = {oid: blob(root, oid) for _, _, oid in listed}
    started: list[Any] = []
    popen = subprocess.Popen
    monkeypatch.setattr(git.subprocess, "Popen",
                        lambda *a, **k: started.append(a[0]) or popen(*a, **k))
    read = dict(blobs(root, [oid for _, _, oid in listed]))
    assert len(started) == 1
    assert read == one_by_one
    assert {name: read[oid] for name, _, oid in listed} == {
        f"data/{name}": data for name, data in CONTENTS.items()}


def test_no_blob_wanted_starts_no_process(repo: tuple[Path, str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(git.subprocess, "Popen", lambda *a, **k: pytest.fail("git started"))
    assert list(blobs(repo[0], [])) == []


@pytest.mark.parametrize(("oid", "message"), [
    ("0" * 40, f"git cat-file failed: {'0' * 40} missing"),
    ("--batch-all-objects", "git cat-file failed: not an object id"),
    ("HEAD", "git cat-file failed: not an object id"),
    ("a" * 40 + "\n" + "b" * 40, "git cat-file failed: not an object id"),
])
def test_what_is_not_a_blob_id_is_an_error(repo: tuple[Path, str], oid: str,
                                           message: str) -> None:
    with pytest.raises(DiffError) as caught:
        list(blobs(repo[0], [oid]))
    assert str(caught.value) == message


def test_a_tree_is_not_read_as_a_file(repo: tuple[Path, str]) -> None:
    root, commit = repo
    folder = subprocess.run(["git", "-C", str(root), "rev-parse", f"{commit}:data"],
                            check=True, capture_output=True, text=True).stdout.strip()
    with pytest.raises(DiffError) as caught:
        list(blobs(root, [folder]))
    assert str(caught.value).startswith(f"git cat-file failed: {folder} tree ")


def test_thousands_of_blobs_pass_both_pipes(tmp_path: Path) -> None:
    """More ids than a pipe holds go in while the contents come out: neither side waits."""
    many = tmp_path / "data"
    many.mkdir()
    for i in range(3000):
        (many / f"{i}.csv").write_text(f"row,{i}\n" * 20, encoding="utf-8")
    _commit(tmp_path)
    listed = tree(tmp_path, resolve(tmp_path, "HEAD"), "data")
    read = dict(blobs(tmp_path, [oid for _, _, oid in listed]))
    assert {name: read[oid] for name, _, oid in listed} == {
        f"data/{i}.csv": f"row,{i}\n".encode() * 20 for i in range(3000)}


def test_a_reader_that_stops_early_leaves_no_git_behind(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    for i in range(3):  # more than a pipe holds: git is still writing when the reader stops
        (tmp_path / "data" / f"{i}.csv").write_bytes(bytes([48 + i]) * 1_000_000)
    _commit(tmp_path)
    reading = blobs(tmp_path, [oid for _, _, oid in tree(tmp_path, resolve(tmp_path, "HEAD"),
                                                         "data")])
    assert next(reading)[1] == b"0" * 1_000_000
    assert [c for c in _git_children() if "cat-file" in c]
    reading.close()  # git, still holding the other blobs, is ended and waited for
    assert _git_children() == []


def _git_children() -> list[str]:
    """The command lines of this process's children that are git (zombies included)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == os.getpid():
                found.append(stat.with_name("cmdline").read_bytes().replace(b"\0", b" ")
                             .decode() or fields[0])
        except (OSError, IndexError):  # ended meanwhile
            continue
    return [c for c in found if "git" in c or c == "Z"]


def test_outside_a_repository_git_says_why(tmp_path: Path) -> None:
    with pytest.raises(DiffError) as caught:
        list(blobs(tmp_path, ["0" * 40]))
    assert str(caught.value) == ("git cat-file failed: fatal: not a git repository (or any "
                                 "of the parent directories): .git")
