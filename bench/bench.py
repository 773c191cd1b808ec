"""Benchmark of the pipeline on synthetic workbooks at 1×, 10× and 100× the sample.

    make bench                      # or: .venv/bin/python bench/bench.py [1 10 100]

Each size runs in its own process (so peak memory is that size's own) and prints the
wall time of each stage: read, validate, plan (figures, charts, contexts), render per
document kind, write, PDF (LibreOffice, one run for the batch; only up to
PDF_MAX_DOCUMENTS documents, the time is then given per document), the process's peak
memory, and the ratio of the pipeline's render time to a bare docxtpl render of the
same templates and contexts (plain Jinja environment, no sandbox, no caches, no
post-processing), measured on up to RATIO_SAMPLE documents per kind in one process
(a like-for-like comparison: the pipeline's second process is not counted in its
favour).
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BUILD_DATE = dt.date(2022, 7, 15)
RATIO_SAMPLE = 8
PDF_MAX_DOCUMENTS = 100


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def _bare_docxtpl(template: Path, context: dict) -> bytes:
    """What docxtpl alone does with the same template and context."""
    from docxtpl import DocxTemplate, InlineImage
    from docx.shared import Cm
    from jinja2 import Environment

    from pipeline import formats
    from pipeline.render import Chart, merge_marker

    doc = DocxTemplate(str(template))
    env = Environment(autoescape=True)
    env.filters.update(formats.FILTERS)
    env.globals["fusion"] = merge_marker

    def images(value):
        if isinstance(value, Chart):
            return InlineImage(doc, io.BytesIO(value.png), width=Cm(value.width_cm))
        if isinstance(value, dict):
            return {k: images(v) for k, v in value.items()}
        return value

    doc.render(images(context), jinja_env=env, autoescape=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def measure(factor: int, with_pdf: bool) -> dict:
    """Every stage's time for the sample repeated ``factor`` times."""
    from pipeline.build import TEMPLATES, render_outputs
    from pipeline.documents import Options, plan_outputs
    from pipeline.reader import read_workbook
    from pipeline.render import make_environment, render_document
    from pipeline.report import Report
    from pipeline.validate import validate
    from pipeline.writer import write_outputs
    from synthetic import scaled_workbook

    work = Path(tempfile.mkdtemp(prefix="troika-bench-"))
    workbook_path = scaled_workbook(ROOT / "inputs" / "troika_2021-2022.xlsx", factor,
                                    work / f"classeur_x{factor}.xlsx")
    report = Report()
    times: dict[str, float] = {}
    raw, times["lecture"] = _timed(read_workbook, workbook_path, report)
    workbook, times["validation"] = _timed(validate, raw, report)
    assert workbook is not None, [str(p) for p in report.errors[:5]]
    outputs, times["préparation"] = _timed(plan_outputs, workbook, Options(BUILD_DATE))

    # The ratio to bare docxtpl, document by document in this process, measured first,
    # while the process is as light for one as for the other.
    day = workbook.plan.document_date
    env = make_environment()
    pipeline_sampled = bare_sampled = 0.0
    sampled: dict[str, int] = defaultdict(int)
    for output in outputs:
        if output.data is not None or sampled[output.kind] >= RATIO_SAMPLE:
            continue
        sampled[output.kind] += 1
        gc.collect()
        pipeline_sampled += _timed(render_document, TEMPLATES / output.template,
                                   output.context, env, day=output.date or day)[1]
        gc.collect()
        bare_sampled += _timed(_bare_docxtpl, TEMPLATES / output.template, output.context)[1]
    # Rendering as build() does it (two processes for large batches), kind by kind.
    by_kind: dict[str, float] = {}
    counts: dict[str, int] = defaultdict(int)
    files = {}
    for kind in dict.fromkeys(o.kind for o in outputs):
        batch = [o for o in outputs if o.kind == kind]
        contents, by_kind[kind] = _timed(render_outputs, batch, TEMPLATES, day)
        counts[kind] = len(batch)
        files.update({o.filename: (o.kind, data) for o, data in zip(batch, contents)})
    written, times["écriture"] = _timed(write_outputs, files, work / "build",
                                        {o.kind for o in outputs})
    result = {"facteur": factor, "documents": len(files), "temps": times,
              "rendu": dict(by_kind), "nombres": dict(counts),
              "ratio": pipeline_sampled / bare_sampled if bare_sampled else None,
              "classeur_ko": workbook_path.stat().st_size // 1024}
    if with_pdf:
        from pipeline.pdf import convert_to_pdf, find_soffice

        if find_soffice():
            batch = {name: data for name, (_k, data) in files.items()
                     if name.endswith(".docx")}
            batch = dict(list(batch.items())[:PDF_MAX_DOCUMENTS])
            _, spent = _timed(convert_to_pdf, batch)
            result["pdf"] = {"documents": len(batch), "secondes": spent}
    result["memoire_mo"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _format(results: list[dict]) -> str:
    from pipeline.formats import number

    kinds = sorted({k for r in results for k in r["rendu"]})
    header = ["étape"] + [f"{r['facteur']}×" for r in results]
    lines = [
        ["documents produits"] + [number(r["documents"]) for r in results],
        ["taille du classeur (Ko)"] + [number(r["classeur_ko"]) for r in results],
    ]
    for stage in ("lecture", "validation", "préparation"):
        lines.append([f"{stage} (s)"] + [number(r["temps"][stage], 2) for r in results])
    for kind in kinds:
        lines.append([f"rendu {kind} (s)"] + [
            f"{number(r['rendu'].get(kind, 0), 2)} ({r['nombres'].get(kind, 0)})" for r in results])
    lines.append(["écriture (s)"] + [number(r["temps"]["écriture"], 2) for r in results])
    totals = [sum(r["temps"].values()) + sum(r["rendu"].values()) for r in results]
    lines.append(["total Word (s)"] + [number(t, 2) for t in totals])
    if any("pdf" in r for r in results):
        lines.append(["PDF (s par document)"] + [
            number(r["pdf"]["secondes"] / r["pdf"]["documents"], 3) if "pdf" in r else "–"
            for r in results])
    lines.append(["mémoire maximale (Mo)"] + [number(r["memoire_mo"]) for r in results])
    lines.append(["rendu : outil / docxtpl seul"] + [
        number(r["ratio"], 2) if r["ratio"] else "–" for r in results])
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    render = lambda row: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(row, widths)))
    return "\n".join([render(header), render(["-" * w for w in widths]), *map(render, lines)])


def main(argv: list[str]) -> None:
    if argv[:1] == ["--une-taille"]:
        print(json.dumps(measure(int(argv[1]), with_pdf=int(argv[1]) == 1)))
        return
    factors = [int(a) for a in argv] or [1, 10, 100]
    results = []
    for factor in factors:
        print(f"Mesure à {factor}× l'exemple…", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, __file__, "--une-taille", str(factor)],
                              capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(_format(results))
    if len(results) > 1:
        first, last = results[0], results[-1]
        per_doc = [(sum(r["temps"].values()) + sum(r["rendu"].values())) / r["documents"]
                   for r in (first, last)]
        growth = per_doc[1] / per_doc[0]
        from pipeline.formats import number

        print(f"\nTemps par document : {number(per_doc[0] * 1000, 1)} ms à {first['facteur']}×, "
              f"{number(per_doc[1] * 1000, 1)} ms à {last['facteur']}× (rapport "
              f"{number(growth, 2)} ; au plus 1 environ si le temps croît linéairement).")


if __name__ == "__main__":
    main(sys.argv[1:])
