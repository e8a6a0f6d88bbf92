"""compile_once: two processes that import the same new module compile it once between
them, plain modules and the test modules pytest rewrites alike."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

TESTS = Path(__file__).parent

# Each process counts what it compiles (plain modules) and rewrites (test modules), waits
# for the signal file so that both import at the same moment, then prints the counts.
SCRIPT = textwrap.dedent("""
    import os, sys, time
    from importlib.machinery import SourceFileLoader
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    import compile_once
    from _pytest.assertion import rewrite
    import pytest

    compiled, rewritten = [], []
    to_code, rewrite_test = SourceFileLoader.source_to_code, rewrite._rewrite_test
    def count_compile(self, data, path, *args, **kwargs):
        compiled.append(path)
        return to_code(self, data, path, *args, **kwargs)
    def count_rewrite(fn, config):
        rewritten.append(fn)
        return rewrite_test(fn, config)
    SourceFileLoader.source_to_code = count_compile
    rewrite._rewrite_test = count_rewrite
    compile_once.share(Path({locks!r}))
    compile_once.share(Path({locks!r}))  # again, as a conftest imported twice does
    sys.path.insert(0, {modules!r})
    while not os.path.exists({go!r}):
        time.sleep(0.001)
    import big
    code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                        {test_file!r}])
    print(sum(p.endswith("big.py") for p in compiled),
          sum(p.name == "test_big.py" for p in rewritten), int(code))
""")


def test_two_processes_compile_a_module_and_rewrite_a_test_module_once(tmp_path: Path) -> None:
    modules = tmp_path / "modules"
    modules.mkdir()
    # big enough that compiling it takes a while: both processes are at it together
    (modules / "big.py").write_text(
        "".join(f"def f{i}(x):\n    return [x * {i} for _ in range(3)]\n" for i in range(3000)),
        encoding="utf-8")
    test_file = modules / "test_big.py"
    test_file.write_text("".join(f"def test_{i}():\n    assert {i} == {i}\n" for i in range(300)),
                         encoding="utf-8")
    go = tmp_path / "go"
    script = SCRIPT.format(tests=str(TESTS), locks=str(tmp_path / "locks"), go=str(go),
                           modules=str(modules), test_file=str(test_file))
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    procs = [subprocess.Popen([sys.executable, "-c", script], cwd=modules, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    time.sleep(1.0)  # both are waiting at the signal
    go.touch()
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, out + err
    counts = [tuple(map(int, out.split()[-3:])) for out, _ in results]
    assert [c[2] for c in counts] == [0, 0], results  # both collected the 300 tests
    assert sum(c[0] for c in counts) == 1, counts  # big.py compiled once, read once
    assert sum(c[1] for c in counts) == 1, counts  # test_big.py rewritten once
