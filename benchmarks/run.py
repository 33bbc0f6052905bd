"""One runner for issue 8: esig next to pdfsig, pyHanko (in-process and CLI), signxml,
python-xmlsec and xmlsec1, side by side in one run, alternating, several runs; medians and ratios.

Run: ``.venv/bin/python benchmarks/run.py [--quick] [--out results.json]``

Inputs are made in a temporary directory from the TEST-ONLY PKI (see ``_inputs.py``): PDFs of one
page, 1 MB and 20 MB at B-B and B-LTA, XAdES B-B files of 10 KB, 1 MB and 20 MB, a batch of
one-page B-LT PDFs from the test PKI's signers. Everything is offline. Whole-process timings and
peak memory (max RSS) come from ``os.wait4`` on each child. Absolute times depend on the machine
and on its load (printed with the results): compare the ratios.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _inputs import Inputs, batch_signers, make_batch, make_inputs  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
TL_DIR = Path(
    os.environ.get(
        "ESIG_TL_DIR",
        "/work/shared/corpus/trusted-lists/dss/cookbook-signature-pool-cache",
    )
)
RESULTS: dict[str, Any] = {}


# -- measuring ----------------------------------------------------------------------------------


def run_process(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit status) of one child process.

    The peak comes from ``/usr/bin/time -f %M`` (a small parent: ``ru_maxrss`` of a child forked
    from this large process would include the parent's pages). The wall time is measured here
    (``time`` adds about a millisecond)."""
    with tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        elapsed = time.perf_counter() - start
        lines = rss.read().strip().splitlines()
    peak = float(lines[-1]) / 1024 if lines and lines[-1].isdigit() else float("nan")
    return elapsed, peak, proc.returncode


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def alternate(
    cases: dict[str, Callable[[], float]], runs: int, *, warmup: bool = True
) -> dict[str, list[float]]:
    """Run every case once per round, rotating the order each round; a warm-up round first
    (which also drops a peer that cannot run here)."""
    names = list(cases)
    for name in names:
        if not warmup:
            break
        try:
            cases[name]()
        except Exception as exc:  # a peer that cannot run here: reported, not fatal
            print(f"  ! {name}: {type(exc).__name__}: {exc!s:.200}", file=sys.stderr)
            cases.pop(name)
    names = list(cases)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(runs):
        order = names[r % len(names) :] + names[: r % len(names)] if names else []
        for name in order:
            times[name].append(cases[name]())
    return times


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt_ms(values: list[float] | None) -> str:
    if not values:
        return "-"
    return f"{med(values) * 1000:,.1f} ({min(values) * 1000:,.1f}-{max(values) * 1000:,.1f})"


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n### {title}  (load average {loadavg()})")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()


# -- PDF ----------------------------------------------------------------------------------------


def pdf_section(inputs: Inputs, runs: int) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    import esig
    from esig.signing.pdf import _asn1

    anchors = list(inputs.pki.roots())
    roots = [_asn1(c) for c in anchors]
    pem = str(inputs.anchors_pem)
    rows, out = [], {}
    for (size, level), path in inputs.pdf.items():
        data = path.read_bytes()

        def esig_inproc(data: bytes = data) -> float:
            return timed(lambda: esig.verify(data, trust=anchors))

        def pyhanko_inproc(data: bytes = data) -> float:
            def go() -> None:
                reader = PdfFileReader(io.BytesIO(data))
                vc = ValidationContext(
                    trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
                )
                validate_pdf_signature(reader.embedded_signatures[0], vc)

            return timed(go)

        mem: dict[str, list[float]] = {}

        def proc(cmd: list[str], mem: dict[str, list[float]] = mem) -> Callable[[], float]:
            def go() -> float:
                elapsed, rss, _ = run_process(cmd)
                mem.setdefault(cmd[0], []).append(rss)
                return elapsed

            return go

        esig_cli = [str(BIN / "esig"), "verify", "--offline", "--trust", pem, str(path)]
        cases = {
            "esig": esig_inproc,
            "pyhanko": pyhanko_inproc,
            "esig CLI": proc(esig_cli),
            "pyhanko CLI": proc(
                [
                    str(BIN / "pyhanko"),
                    "sign",
                    "validate",
                    "--trust",
                    pem,
                    "--trust-replace",
                    "--no-revocation-check",
                    str(path),
                ]
            ),
            "pdfsig": proc(["pdfsig", "-no-ocsp", str(path)]),
        }
        t = alternate(cases, runs)
        ratio_inproc = med(t["esig"]) / med(t["pyhanko"]) if "pyhanko" in t else float("nan")
        ratio_cli = (
            med(t["esig CLI"]) / med(t["pyhanko CLI"]) if "pyhanko CLI" in t else float("nan")
        )
        peak = {k: max(v) for k, v in mem.items()}
        rows.append(
            [
                f"{size} {level}",
                fmt_ms(t.get("esig")),
                fmt_ms(t.get("pyhanko")),
                f"{ratio_inproc:.2f}",
                fmt_ms(t.get("esig CLI")),
                fmt_ms(t.get("pyhanko CLI")),
                f"{ratio_cli:.2f}",
                fmt_ms(t.get("pdfsig")),
                " / ".join(f"{peak.get(k, float('nan')):.0f}" for k in (esig_cli[0],)),
                f"{max(mem.get(str(BIN / 'pyhanko'), [0])):.0f}",
                f"{max(mem.get('pdfsig', [0])):.0f}",
            ]
        )
        out[f"{size} {level}"] = dict(t) | {"peak_mb": peak}
    RESULTS["pdf"] = out
    table(
        "PDF verification, ms: median (min-max)",
        [
            "doc",
            "esig in-process",
            "pyHanko validate_pdf_signature (norev)",
            "ratio",
            "`esig verify` process",
            "`pyhanko sign validate` process",
            "ratio (target <= 0.5)",
            "`pdfsig -no-ocsp`",
            "esig peak MB",
            "pyHanko CLI peak MB",
            "pdfsig peak MB",
        ],
        rows,
    )


def importtime_section(inputs: Inputs) -> None:
    path = inputs.pdf[("1page", "B-B")]
    code = "import sys; from esig.cli import main; sys.exit(main())"
    cmd = [PY, "-X", "importtime", "-c", code, "verify", "--offline", "--trust"]
    cmd += [str(inputs.anchors_pem), str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    rows: list[tuple[int, int, str]] = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    top = [r for r in rows if r[0] >= 20_000]  # every import costing >= 20 ms, nested ones too
    top.sort(reverse=True)
    total = sum(r[0] for r in rows if r[1] == 1)
    bare = [run_process([PY, "-c", "pass"])[0] for _ in range(5)]
    RESULTS["importtime"] = {"total_us": total, "top": top[:25], "python_pass_s": med(bare)}
    table(
        f"`esig verify` imports: {total / 1000:.0f} ms in total (python -c pass: "
        f"{med(bare) * 1000:.0f} ms); largest cumulative imports",
        ["module (nesting depth)", "cumulative ms"],
        [[f"{name} ({(depth - 1) // 2})", f"{us / 1000:.1f}"] for us, depth, name in top[:25]],
    )


# -- XML ----------------------------------------------------------------------------------------

XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"


def xml_section(inputs: Inputs, runs: int) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding
    from lxml import etree

    from esig.xades import verify_xml

    anchors = list(inputs.pki.roots())
    cert = inputs.pki.cert("tr-nes-signer")
    cert_pem = cert.public_bytes(Encoding.PEM)
    cert_file = inputs.root / "signer.pem"
    cert_file.write_bytes(cert_pem)
    rows, out = [], {}
    for size, path in inputs.xml.items():
        data = path.read_bytes()

        def esig_go(data: bytes = data) -> float:
            when = datetime.now(UTC)
            return timed(lambda: verify_xml(data, trust=anchors, validation_time=when))

        def signxml_go(data: bytes = data) -> float:
            from signxml.xades import XAdESVerifier

            verifier = XAdESVerifier()
            pem = cert_pem.decode()
            return timed(lambda: verifier.verify(data, x509_cert=pem, expect_references=3))

        def xmlsec_go(data: bytes = data) -> float:
            import xmlsec

            def go() -> None:
                parser = etree.XMLParser(huge_tree=True, resolve_entities=False)
                root = etree.fromstring(data, parser)
                xmlsec.tree.add_ids(root, ["Id"])
                node = xmlsec.tree.find_node(root, xmlsec.constants.NodeSignature)
                ctx = xmlsec.SignatureContext()
                ctx.key = xmlsec.Key.from_memory(cert_pem, xmlsec.constants.KeyDataFormatCertPem)
                ctx.verify(node)

            return timed(go)

        xmlsec1 = [
            "xmlsec1",
            "--verify",
            "--pubkey-cert-pem",
            str(cert_file),
            "--id-attr:Id",
            f"{XADES_NS}:SignedProperties",
            str(path),
        ]

        def xmlsec1_go(xmlsec1: list[str] = xmlsec1) -> float:
            elapsed, _, rc = run_process(xmlsec1)
            if rc != 0:
                raise RuntimeError(f"xmlsec1 exit {rc}")
            return elapsed

        t = alternate(
            {
                "esig": esig_go,
                "signxml": signxml_go,
                "python-xmlsec": xmlsec_go,
                "xmlsec1": xmlsec1_go,
            },
            runs if size != "20MB" else max(3, runs // 2),
        )
        ratio = med(t["esig"]) / med(t["xmlsec1"]) if "xmlsec1" in t else float("nan")
        rows.append(
            [
                size,
                fmt_ms(t.get("esig")),
                fmt_ms(t.get("signxml")),
                fmt_ms(t.get("python-xmlsec")),
                fmt_ms(t.get("xmlsec1")),
                f"{ratio:.2f}",
            ]
        )
        out[size] = t
    RESULTS["xml"] = out
    table(
        "XAdES B-B verification, ms: median (min-max); xmlsec1 is a whole process",
        [
            "doc",
            "esig verify_xml",
            "signxml XAdESVerifier",
            "python-xmlsec",
            "`xmlsec1 --verify`",
            "esig / xmlsec1 (target <= 1)",
        ],
        rows,
    )
    xml_memory(inputs, cert_file)


def xml_memory(inputs: Inputs, cert_file: Path) -> None:
    path = inputs.xml[max(inputs.xml, key=lambda k: inputs.xml[k].stat().st_size)]
    esig_code = (
        "import sys; from datetime import UTC, datetime; from cryptography import x509;"
        "from esig.xades import verify_xml;"
        f"a = x509.load_pem_x509_certificates(open({str(inputs.anchors_pem)!r}, 'rb').read());"
        f"d = open({str(path)!r}, 'rb').read();"
        "verify_xml(d, trust=a, validation_time=datetime.now(UTC))"
    )
    lxml_code = (
        "from lxml import etree;"
        f"d = open({str(path)!r}, 'rb').read();"
        "etree.fromstring(d, etree.XMLParser(huge_tree=True, resolve_entities=False))"
    )
    cases = {
        "esig verify_xml (process)": [PY, "-c", esig_code],
        "esig imports only": [PY, "-c", esig_code.split("d = open")[0]],
        "lxml parse alone (process)": [PY, "-c", lxml_code],
        "lxml import only": [PY, "-c", "from lxml import etree"],
        "xmlsec1 --verify": [
            "xmlsec1",
            "--verify",
            "--pubkey-cert-pem",
            str(cert_file),
            "--id-attr:Id",
            f"{XADES_NS}:SignedProperties",
            str(path),
        ],
    }
    peaks = {name: max(run_process(cmd)[1] for _ in range(2)) for name, cmd in cases.items()}
    raw = peaks["esig verify_xml (process)"] / peaks["lxml parse alone (process)"]
    net = (peaks["esig verify_xml (process)"] - peaks["esig imports only"]) / (
        peaks["lxml parse alone (process)"] - peaks["lxml import only"]
    )
    RESULTS["xml_memory"] = peaks | {"ratio_raw": raw, "ratio_net": net}
    table(
        f"Peak memory, {path.name} ({path.stat().st_size / 1e6:.1f} MB)",
        ["process", "peak RSS MB"],
        [[k, f"{v:.0f}"] for k, v in peaks.items()]
        + [["esig / lxml (target <= 1.2)", f"{raw:.2f} (net of imports: {net:.2f})"]],
    )


# -- trusted lists ------------------------------------------------------------------------------

TL_CODE = r"""
import base64, pickle, re, sys, time
from datetime import timedelta, datetime
from pathlib import Path
t0 = time.perf_counter()
from esig.trust.fetch import MemoryFetcher, TrustListCache
from esig.trust.store import LotlSource, TrustStore
t1 = time.perf_counter()
D = Path(sys.argv[1]); cache_dir = sys.argv[2]; mode = sys.argv[3]
lotl = (D / "https___ec_europa_eu_tools_lotl_eu_lotl_xml.xml").read_bytes()
docs = {}
for u in re.findall(rb"<(?:\w+:)?TSLLocation>([^<]+)<", lotl):
    f = D / (re.sub(r"[^A-Za-z0-9]", "_", u.decode()) + ".xml")
    if f.exists():
        docs[u.decode()] = f.read_bytes()
signer = re.findall(rb"<(?:\w+:)?X509Certificate>([^<]+)<", lotl[lotl.rfind(b"SignatureValue"):])[0]
issued = re.search(rb"ListIssueDateTime>([^<]+)<", lotl).group(1).decode().replace("Z", "+00:00")
at = datetime.fromisoformat(issued) + timedelta(days=1)
src = LotlSource("https://ec.europa.eu/tools/lotl/eu-lotl.xml", (base64.b64decode(signer),))
t2 = time.perf_counter()
if mode == "cold":
    fetcher = MemoryFetcher(docs)
    store = TrustStore.load([src], at=at, fetcher=fetcher, cache=TrustListCache(cache_dir))
else:
    store = TrustStore.load([src], at=at, cache=TrustListCache(cache_dir))
t3 = time.perf_counter()
for _ in range(100):
    store.anchors(at)
t4 = time.perf_counter()
usable = sum(1 for l in store.lists if l.usable)
print(f"{t1 - t0} {t3 - t2} {(t4 - t3) / 100} {usable} {len(store.lists)} {len(store.anchors(at))}")
"""


def trust_section(runs: int) -> None:
    if not (TL_DIR / "https___ec_europa_eu_tools_lotl_eu_lotl_xml.xml").exists():
        print(f"\n(trusted lists: {TL_DIR} not found, skipped)")
        return
    res: dict[str, list[list[float]]] = {"cold": [], "warm": []}
    wall: dict[str, list[float]] = {"cold": [], "warm": []}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            for mode in ("cold", "warm"):
                start = time.perf_counter()
                proc = subprocess.run(
                    [PY, "-c", TL_CODE, str(TL_DIR), cache, mode],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                wall[mode].append(time.perf_counter() - start)
                res[mode].append([float(x) for x in proc.stdout.split()])
    rows = []
    for mode in ("cold", "warm"):
        imp = [r[0] for r in res[mode]]
        load = [r[1] for r in res[mode]]
        ask = [r[2] for r in res[mode]]
        last = res[mode][-1]
        rows.append(
            [
                mode,
                fmt_ms(imp),
                fmt_ms(load),
                fmt_ms(wall[mode]),
                f"{med(ask) * 1e6:.1f} us",
                f"{int(last[3])} of {int(last[4])} usable, {int(last[5])} anchors",
            ]
        )
    RESULTS["trust"] = {"runs": res, "wall": wall}
    table(
        "Trusted lists: corpus LOTL + member lists present (targets: cold <= 2 s, warm <= 50 ms)",
        ["load", "imports", "TrustStore.load", "whole process", "anchors(at)", "lists"],
        rows,
    )


# -- batch --------------------------------------------------------------------------------------


def batch_section(inputs: Inputs, count: int, runs: int) -> None:
    from esig.batch import verify_many

    files = make_batch(inputs.root / "batch", inputs.pki, inputs.now, count)
    anchors = list(inputs.pki.roots())
    when = datetime.now(UTC)

    subset = files[: min(len(files), 200)]

    def esig_many(jobs: int, cache: bool, docs: list[Path] = files) -> Callable[[], float]:
        def go() -> float:
            start = time.perf_counter()
            for _ in verify_many(docs, trust=anchors, validation_time=when, jobs=jobs, cache=cache):
                pass
            return (time.perf_counter() - start) / len(docs)

        return go

    def pdfsig_all() -> float:
        start = time.perf_counter()
        for f in files:
            subprocess.run(["pdfsig", "-no-ocsp", str(f)], capture_output=True, check=False)
        return (time.perf_counter() - start) / len(files)

    def esig_cli() -> float:
        cmd = [str(BIN / "esig"), "verify", "--offline", "--format", "jsonl", "--jobs", "2"]
        cmd += ["--trust", str(inputs.anchors_pem), *map(str, files)]
        return run_process(cmd)[0] / len(files)

    n = len(subset)
    t = alternate(
        {
            f"esig verify_many jobs=2 cache ({len(files)} files)": esig_many(2, True),
            f"esig --jobs 2 --format jsonl, whole process ({len(files)} files)": esig_cli,
            f"pdfsig -no-ocsp, one process per file, sequential ({len(files)} files)": pdfsig_all,
            f"esig verify_many jobs=1 cache (first {n})": esig_many(1, True, subset),
            f"esig verify_many jobs=1 no cache (first {n})": esig_many(1, False, subset),
            f"esig verify_many jobs=2 no cache (first {n})": esig_many(2, False, subset),
        },
        runs,
        warmup=False,
    )
    base = med(next(v for k, v in t.items() if k.startswith("pdfsig")))
    RESULTS["batch"] = {"count": len(files), "times": t}
    table(
        f"Batch: {len(files)} one-page B-LT PDFs, {len(batch_signers(inputs.pki))} signers, "
        "offline, full validation; "
        "ms per file (target: esig <= pdfsig)",
        ["how", "ms per file", "ratio to pdfsig"],
        [[k, fmt_ms(v), f"{med(v) / base:.2f}"] for k, v in t.items()],
    )


# -- signing (bench_sign.py) --------------------------------------------------------------------


def signing_section(count: int, rounds: int) -> None:
    proc = subprocess.run(
        [PY, str(HERE / "bench_sign.py"), "--count", str(count), "--rounds", str(rounds)],
        capture_output=True,
        text=True,
        check=False,
    )
    RESULTS["signing"] = proc.stdout
    print(f"\n### Batch PAdES B-B signing (bench_sign.py)  (load average {loadavg()})")
    print("```\n" + proc.stdout.strip() + "\n```")


# -- profiles -----------------------------------------------------------------------------------


def profile_section(inputs: Inputs) -> None:
    import esig
    from esig.xades import verify_xml

    anchors = list(inputs.pki.roots())
    batch = sorted((inputs.root / "batch").glob("*.pdf"))[:20]
    datas = [f.read_bytes() for f in batch]
    xml = inputs.xml[max(inputs.xml, key=lambda k: inputs.xml[k].stat().st_size)].read_bytes()
    jobs: dict[str, Callable[[], object]] = {
        f"{len(datas)} one-page B-LT PDFs": lambda: [esig.verify(d, trust=anchors) for d in datas],
        f"XAdES {len(xml) / 1e6:.0f} MB": lambda: verify_xml(
            xml, trust=anchors, validation_time=datetime.now(UTC)
        ),
    }
    RESULTS["profiles"] = {}
    for name, job in jobs.items():
        prof = cProfile.Profile()
        prof.enable()
        job()
        prof.disable()
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("tottime").print_stats(12)
        RESULTS["profiles"][name] = buf.getvalue()
        print(f"\n### cProfile, {name}: top functions by own time")
        print("```")
        print("\n".join(buf.getvalue().strip().splitlines()[-14:]))
        print("```")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, few runs (< 2 min)")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--batch", type=int, default=None, help="documents in the batch")
    parser.add_argument("--out", type=Path, default=None, help="write raw results as JSON")
    parser.add_argument("--only", default="", help="comma list of sections")
    args = parser.parse_args()
    runs = args.runs or (2 if args.quick else 5)
    count = args.batch or (30 if args.quick else 1000)
    sections = set(args.only.split(",")) if args.only else None

    def want(name: str) -> bool:
        return sections is None or name in sections

    print(
        f"# esig benchmarks {datetime.now(UTC):%Y-%m-%d %H:%M}Z on {platform.node()}: "
        f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, load average {loadavg()}"
    )
    with tempfile.TemporaryDirectory(prefix="esig-bench-") as tmp:
        start = time.perf_counter()
        inputs = make_inputs(
            Path(tmp),
            pdf_sizes={"1page": 0, "1MB": 1_000_000}
            if args.quick
            else {"1page": 0, "1MB": 1_000_000, "20MB": 20_000_000},
            xml_sizes={"10KB": 10_000, "1MB": 1_000_000}
            if args.quick
            else {"10KB": 10_000, "1MB": 1_000_000, "20MB": 20_000_000},
        )
        print(f"(inputs made in {time.perf_counter() - start:.1f} s)")
        if want("pdf"):
            pdf_section(inputs, runs)
        if want("imports"):
            importtime_section(inputs)
        if want("xml"):
            xml_section(inputs, runs)
        if want("trust"):
            trust_section(runs)
        if want("batch"):
            batch_section(inputs, count, 1)
        if want("signing"):
            signing_section(20 if args.quick else 100, 3)
        if want("profile") and want("batch"):
            profile_section(inputs)
    if args.out:
        args.out.write_text(json.dumps(RESULTS, indent=1, default=str))


if __name__ == "__main__":
    main()
