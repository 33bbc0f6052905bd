"""Every ```python example in docs/ runs as written (docs are part of a feature)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, corpus_root

DOCS = sorted((REPO_ROOT / "docs").glob("*.md"))
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    cases = []
    for page in DOCS:
        for n, match in enumerate(BLOCK.finditer(page.read_text(encoding="utf-8")), start=1):
            cases.append((f"{page.name}#{n}", match.group(1)))
    return cases


@pytest.mark.parametrize(("where", "code"), _examples(), ids=[w for w, _ in _examples()])
def test_doc_example_runs(
    where: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "ESIG_CORPUS" in code and not (corpus_root() / "MANIFEST.tsv").is_file():
        pytest.skip("example reads the corpus, which is absent")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ESIG_CORPUS", str(corpus_root()))
    env = {"__name__": "__doc_example__", "os": os}
    exec(compile(code, where, "exec"), env)


def test_docs_have_an_index_linking_every_page() -> None:
    index = (REPO_ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for page in DOCS:
        if page.name != "index.md":
            assert f"({page.name})" in index, f"docs/index.md does not link {page.name}"
