"""review.git.blobs: every file of a revision read by one git process, byte for byte as
``git cat-file blob`` reads each, and a clear error for what is not a blob."""

from __future__ import annotations

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
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.invalid",
                  "commit", "-qm", "files"]):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)
    return tmp_path, resolve(tmp_path, "HEAD")


def test_every_blob_is_read_by_one_process_as_cat_file_reads_it(
        repo: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    root, commit = repo
    listed = tree(root, commit, "data")
    assert len(listed) == len(CONTENTS)
    one_by_one = {oid: blob(root, oid) for _, _, oid in listed}
    started: list[Any] = []
    run = subprocess.run
    monkeypatch.setattr(git.subprocess, "run",
                        lambda *a, **k: started.append(a[0]) or run(*a, **k))
    read = blobs(root, [oid for _, _, oid in listed])
    assert len(started) == 1
    assert read == one_by_one
    assert {name: read[oid] for name, _, oid in listed} == {
        f"data/{name}": data for name, data in CONTENTS.items()}


def test_no_blob_wanted_starts_no_process(repo: tuple[Path, str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(git.subprocess, "run", lambda *a, **k: pytest.fail("git started"))
    assert blobs(repo[0], []) == {}


@pytest.mark.parametrize(("oid", "message"), [
    ("0" * 40, f"git cat-file failed: {'0' * 40} missing"),
    ("--batch-all-objects", "git cat-file failed: not an object id"),
    ("HEAD", "git cat-file failed: not an object id"),
    ("a" * 40 + "\n" + "b" * 40, "git cat-file failed: not an object id"),
])
def test_what_is_not_a_blob_id_is_an_error(repo: tuple[Path, str], oid: str,
                                           message: str) -> None:
    with pytest.raises(DiffError) as caught:
        blobs(repo[0], [oid])
    assert str(caught.value) == message


def test_a_tree_is_not_read_as_a_file(repo: tuple[Path, str]) -> None:
    root, commit = repo
    folder = subprocess.run(["git", "-C", str(root), "rev-parse", f"{commit}:data"],
                            check=True, capture_output=True, text=True).stdout.strip()
    with pytest.raises(DiffError) as caught:
        blobs(root, [folder])
    assert str(caught.value).startswith(f"git cat-file failed: {folder} tree ")
