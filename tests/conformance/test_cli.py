"""``esig conformance`` on a small synthetic corpus (no shared corpus needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esig.cli import main
from esig.testing.documents import simple_pdf

HEADER = (
    "category\tlocal_path\tsource_repo\tcommit\tpath_in_repo\tformat\twhat\texpected_verdict\t"
    "verdict_evidence\tsha256\tsize\n"
)
ROWS = [
    ("pades", "pades/unsigned.pdf", "mersel-dss/x", "PDF", "n/a"),
    ("xades", "xades/doctype.xml", "open-eid/libdigidocpp", "XML", "parser must refuse (throws)"),
    ("xades", "xades/broken.xml", "luisgoncalves/xades4j", "XML", "VALID (xades4j verifier)"),
    ("asic-xades", "asic/c.odt", "open-eid/digidoc4j", "ZIP container", "VALID"),
    ("pades", "pades/no-expectation.pdf", "m32/endesive", "PDF", ""),
    ("pades", "pades/to-sign.pdf", "esig/dss", "PDF; ByteRange:0", "VALID (the signed output)"),
]


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    (tmp_path / "pades").mkdir()
    (tmp_path / "xades").mkdir()
    (tmp_path / "pades/unsigned.pdf").write_bytes(simple_pdf())
    (tmp_path / "pades/no-expectation.pdf").write_bytes(simple_pdf())
    (tmp_path / "pades/to-sign.pdf").write_bytes(simple_pdf())
    (tmp_path / "xades/doctype.xml").write_bytes(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>')
    (tmp_path / "xades/broken.xml").write_bytes(b"<a><b></a>")
    lines = [f"{c}\t{p}\t{s}\tabc\t{p}\t{f}\tw\t{e}\tev\t0\t1\n" for c, p, s, f, e in ROWS]
    (tmp_path / "MANIFEST.tsv").write_text(HEADER + "".join(lines), encoding="utf-8")
    return tmp_path


def test_json_table(tiny_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conformance", str(tiny_corpus), "--format", "json", "--in-process"]) == 0
    data = json.loads(capsys.readouterr().out)
    statuses = {c["case"]: (c["expect"], c["status"]) for c in data["cases"]}
    assert statuses == {
        "pades/unsigned.pdf": ("unsigned", "agree"),
        "xades/doctype.xml": ("refuse", "agree"),
        "xades/broken.xml": ("intact", "disagree"),
        "asic/c.odt": ("intact", "unsupported"),
        "pades/no-expectation.pdf": ("none", "skipped"),
        "pades/to-sign.pdf": ("intact", "skipped"),  # an input the source signs
    }
    assert data["totals"]["category"]["TOTAL"] == {
        "agree": 2,
        "disagree": 1,
        "unsupported": 1,
        "skipped": 2,
    }
    broken = next(c for c in data["cases"] if c["case"] == "xades/broken.xml")
    assert broken["got"].startswith("DocumentError: ")
    assert broken["reason"] == "valid per source; esig refused the document"


def test_markdown_table_in_an_isolated_worker(tiny_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "table.md"
    code = main(["conformance", str(tiny_corpus), "--category", "xades", "-o", str(out)])
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "| xades | 1 | 1 | 0 | 0 | 0 | 2 |" in text
    assert "| `xades/broken.xml` | VALID (xades4j verifier) | DocumentError: " in text
    assert "### unsupported (0)" in text


def test_limit_bounds_the_files_run(tiny_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["conformance", str(tiny_corpus), "--format", "json", "--limit", "1", "--in-process"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [c["case"] for c in data["cases"] if c["status"] in ("agree", "disagree")] == [
        "pades/unsigned.pdf"
    ]
    assert len(data["cases"]) == 4  # plus the unsupported and skipped rows, always listed


def test_directory_without_manifest_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["conformance", str(tmp_path)]) == 3
    assert "no MANIFEST.tsv" in capsys.readouterr().err
