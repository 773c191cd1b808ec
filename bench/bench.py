"""Side-by-side benchmark of the pipeline against the libraries it is made of.

    make bench                            # 1×, 10×, 100× and 300× the sample (long)
    .venv/bin/python bench/bench.py 1 10  # chosen sizes only
    .venv/bin/python bench/bench.py 1 --sans-pdf   # without the LibreOffice comparison
    .venv/bin/python bench/bench.py 300 --garder x300.json   # keep the figures, then
    .venv/bin/python bench/bench.py --depuis petit.json x300.json   # one report of both

For each size (the sample repeated k times, bench/synthetic.py), in a fresh process:

- stage times of one build in one process: reading, validation, planning (figures,
  charts, contexts), rendering per document kind, writing;
- per document kind, the pipeline's render against bare docxtpl *used well*: one
  Jinja environment with a compile cache, the same templates, the same contexts, in
  the same process, in paired runs (pipeline then bare, bare then pipeline...) whose
  median ratio is reported;
- the whole ``troika construire`` process against a minimal script that imports the
  libraries and renders the same documents from the same contexts (paired runs,
  medians), with the peak memory of each process tree's largest process;
- at 1×: PDF copies by one LibreOffice instance per core against one batch call over
  the same files (paired runs), and which heavy libraries ``troika verifier`` and
  ``troika construire`` import.

It prints the core count and the load, the ratios, the stage table and each target
met or missed, and removes its temporary folders. Figures on a shared machine are
noisy: compare ratios of paired runs, not single times.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import pickle
import shutil
import statistics
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
SAMPLE = ROOT / "inputs" / "troika_2021-2022.xlsx"
RATIO_SAMPLE = 8  # documents per kind in the per-kind comparison
TEMP_PREFIX = "troika-bench-"

# Targets of issues 14 and 20 (seconds, ratios, megabytes).
TARGET_SAMPLE_WALL = 1.0
# The whole troika construire process against the minimal docxtpl script, by size.
TARGET_PROCESS_RATIO = {1: 0.9, 10: 0.8}
TARGET_KIND_RATIO = 1.1
TARGET_PDF_RATIO = 0.7
TARGET_PEAK_MB = 1024
TARGET_GROWTH = 1.25  # time per document at the largest size / at the smallest


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def _repeats(factor: int) -> int:
    """Paired runs per measure: more where a run is short and noise large."""
    return 5 if factor == 1 else 3 if factor <= 10 else 1


# --- Bare docxtpl, used well ----------------------------------------------------------

BARE_SCRIPT = r'''
"""Minimal script: import the libraries, render the same documents, write them."""
import io, pickle, sys
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment

from pipeline.render import make_environment
from pipeline.render.core import with_charts


class CachedEnvironment(Environment):
    """Compiles each template source once, as any long-running docxtpl user would."""

    def __init__(self, **options):
        super().__init__(**options)
        self.compiled = {}

    def from_string(self, source, globals=None, template_class=None):
        if source not in self.compiled:
            self.compiled[source] = super().from_string(source, globals, template_class)
        return self.compiled[source]


def environment():
    """Plain Jinja (no sandbox, no StrictUndefined) with the filters and functions the
    templates call (French dates and numbers, fusion, couleur)."""
    ours = make_environment()
    env = CachedEnvironment(autoescape=True)
    env.filters.update(ours.filters)
    env.globals.update(ours.globals)
    return env


def render(template, context, env):
    doc = DocxTemplate(str(template))
    doc.render(with_charts(doc, context), jinja_env=env, autoescape=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    jobs = pickle.loads(Path(sys.argv[1]).read_bytes())
    out = Path(sys.argv[2])
    env = environment()
    for name, template, context, data in jobs:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if data is not None else render(template, context, env))
'''


def _bare_module(work: Path):
    """The minimal script, importable here too (same code in both comparisons)."""
    script = work / "docxtpl_seul.py"
    script.write_text(BARE_SCRIPT, encoding="utf-8")
    import importlib.util

    spec = importlib.util.spec_from_file_location("docxtpl_seul", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return script, module


# --- Measures in one process -----------------------------------------------------------

# Starts the measured command from a small process: a child forked from the bench
# itself would count the bench's own memory in its peak (Linux keeps the high-water
# mark of the forked copy across exec).
# Runs the measured command and reports its wall time and peak memory: the clock
# starts when the command is started and stops when it has exited, so the launcher's
# own start-up is not counted.
LAUNCHER = r"""
import os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
if hasattr(os, "wait4"):
    _pid, status, usage = os.wait4(process.pid, 0)
    code, peak = os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024
else:  # Windows: no per-child resource usage
    code, peak = process.wait(), 0.0
print(time.perf_counter() - start, peak)
sys.exit(code)
"""


def _run_measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB, the largest process of its tree) of a command,
    both measured by a small launcher process around it (see LAUNCHER)."""
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command], cwd=cwd, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command[:3]} : code {done.returncode} {done.stderr[-800:]}")
    wall, peak = done.stdout.strip().splitlines()[-1].split()
    return float(wall), float(peak)


def _stages(workbook_path: Path, out: Path) -> tuple[dict, dict, list]:
    """Stage times of one build, as build() runs it (same functions, same order)."""
    from pipeline.build import TEMPLATES, describe_outputs, render_outputs
    from pipeline.documents import Options, plan_outputs
    from pipeline.output.writer import write_outputs
    from pipeline.report import Report
    from pipeline.validate import validate
    from pipeline.workbook.reader import read_workbook

    report = Report()
    times: dict[str, float] = {}
    raw, times["lecture"] = _timed(read_workbook, workbook_path, report)
    workbook, times["validation"] = _timed(validate, raw, report)
    assert workbook is not None, [str(p) for p in report.errors[:5]]
    outputs, times["préparation"] = _timed(plan_outputs, workbook, Options(BUILD_DATE))
    day = workbook.plan.document_date
    by_kind: dict[str, float] = {}
    files = {}
    for kind in dict.fromkeys(o.kind for o in outputs):
        batch = [o for o in outputs if o.kind == kind]
        contents, by_kind[kind] = _timed(render_outputs, batch, TEMPLATES, day)
        files.update({o.filename: (o.kind, data) for o, data in zip(batch, contents)})
    _, times["écriture"] = _timed(
        write_outputs,
        files,
        out,
        {o.kind for o in outputs},
        catalogue=describe_outputs(outputs, workbook.plan),
    )
    return times, by_kind, outputs, workbook


def _kind_ratios(outputs, workbook, bare, repeats: int) -> dict[str, dict]:
    """Per kind: median ms per document of the pipeline and of bare docxtpl, and the
    median of the paired ratios."""
    from pipeline.build import TEMPLATES
    from pipeline.render import make_environment, render_document

    day = workbook.plan.document_date
    env, bare_env = make_environment(), bare.environment()
    chosen: dict[str, list] = defaultdict(list)
    for output in outputs:
        if output.data is None and len(chosen[output.kind]) < RATIO_SAMPLE:
            chosen[output.kind].append(output)
    # Warm both sides (template compilation, first imports) before timing.
    for batch in chosen.values():
        render_document(
            TEMPLATES / batch[0].template, batch[0].context, env, day=batch[0].date or day
        )
        bare.render(TEMPLATES / batch[0].template, batch[0].context, bare_env)
    results = {}
    for kind, batch in chosen.items():
        ours, theirs, ratios = [], [], []
        for repeat in range(repeats):

            def pipeline_side(batch=batch):
                gc.collect()
                return _timed(
                    lambda: [
                        render_document(TEMPLATES / o.template, o.context, env, day=o.date or day)
                        for o in batch
                    ]
                )[1]

            def bare_side(batch=batch):
                gc.collect()
                return _timed(
                    lambda: [
                        bare.render(TEMPLATES / o.template, o.context, bare_env) for o in batch
                    ]
                )[1]

            if repeat % 2:
                b, p = bare_side(), pipeline_side()
            else:
                p, b = pipeline_side(), bare_side()
            ours.append(p / len(batch))
            theirs.append(b / len(batch))
            ratios.append(p / b)
        results[kind] = {
            "outil_ms": statistics.median(ours) * 1000,
            "docxtpl_ms": statistics.median(theirs) * 1000,
            "ratio": statistics.median(ratios),
            "documents": len(batch),
        }
    return results


def _whole_process(workbook_path: Path, outputs, work: Path, script: Path, repeats: int) -> dict:
    """``troika construire`` against the minimal script, paired runs."""
    from pipeline.build import TEMPLATES

    jobs = [
        (o.filename, str(TEMPLATES / o.template) if o.template else "", o.context, o.data)
        for o in outputs
    ]
    job_file = work / "contextes.pickle"
    job_file.write_bytes(pickle.dumps(jobs, protocol=pickle.HIGHEST_PROTOCOL))
    del jobs
    troika = [
        sys.executable,
        "-m",
        "pipeline",
        "construire",
        "--classeur",
        str(workbook_path),
        "--date",
        BUILD_DATE.isoformat(),
    ]
    bare = [sys.executable, str(script), str(job_file)]
    ours, theirs, ratios, memory = [], [], [], {"outil": 0.0, "docxtpl": 0.0}
    for repeat in range(repeats):
        runs = []
        for side in ("outil", "docxtpl") if repeat % 2 == 0 else ("docxtpl", "outil"):
            out = work / f"sortie-{side}-{repeat}"
            command = troika + ["--sortie", str(out)] if side == "outil" else bare + [str(out)]
            if side == "docxtpl":
                out.mkdir()
            wall, peak = _run_measured(command, ROOT)
            memory[side] = max(memory[side], peak)
            runs.append((side, wall))
            shutil.rmtree(out, ignore_errors=True)
        walls = dict(runs)
        ours.append(walls["outil"])
        theirs.append(walls["docxtpl"])
        ratios.append(walls["outil"] / walls["docxtpl"])
    return {
        "outil_s": statistics.median(ours),
        "docxtpl_s": statistics.median(theirs),
        "ratio": statistics.median(ratios),
        "memoire_outil_mo": memory["outil"],
        "memoire_docxtpl_mo": memory["docxtpl"],
        "paires": repeats,
    }


def _pdf_comparison(files: dict[str, bytes], repeats: int) -> dict | None:
    """Parallel instances against one batch call over the same Word documents."""
    from pipeline.distribute.pdf import convert_to_pdf, find_soffice, instance_count

    if not find_soffice():
        return None
    parallel, single, ratios = [], [], []
    for repeat in range(repeats):
        sides = [("parallele", instance_count()), ("un_lot", 1)]
        if repeat % 2:
            sides.reverse()
        walls = {}
        for name, instances in sides:
            walls[name] = _timed(convert_to_pdf, files, instances=instances)[1]
        parallel.append(walls["parallele"])
        single.append(walls["un_lot"])
        ratios.append(walls["parallele"] / walls["un_lot"])
    return {
        "documents": len(files),
        "instances": instance_count(),
        "parallele_s": statistics.median(parallel),
        "un_lot_s": statistics.median(single),
        "ratio": statistics.median(ratios),
        "paires": repeats,
    }


def _pool_comparison(workbook_path: Path, work: Path, repeats: int) -> dict:
    """build() with its two-process pool against one process, paired runs."""
    from pipeline.build import build

    one, two, ratios = [], [], []
    for repeat in range(repeats):
        walls = {}
        for workers in (1, 2) if repeat % 2 == 0 else (2, 1):
            out = work / f"groupe-{workers}-{repeat}"
            walls[workers] = _timed(build, workbook_path, out, today=BUILD_DATE, workers=workers)[1]
            shutil.rmtree(out, ignore_errors=True)
        one.append(walls[1])
        two.append(walls[2])
        ratios.append(walls[2] / walls[1])
    return {
        "un_s": statistics.median(one),
        "deux_s": statistics.median(two),
        "ratio": statistics.median(ratios),
        "paires": repeats,
    }


IMPORT_PROBE = r"""
import sys
from click.testing import CliRunner
from pipeline.cli import main
result = CliRunner().invoke(main, sys.argv[1:])
assert result.exit_code == 0, result.output
print(",".join(m for m in ("docxtpl", "pptx", "matplotlib") if m in sys.modules))
"""


def _heavy_imports(workbook_path: Path, work: Path) -> dict:
    """Which heavy libraries each command loads (a fresh process each)."""
    found = {}
    for name, args in (
        ("verifier", ["verifier", "--classeur", str(workbook_path)]),
        (
            "construire",
            [
                "construire",
                "--classeur",
                str(workbook_path),
                "--sortie",
                str(work / "imports"),
                "--date",
                BUILD_DATE.isoformat(),
            ],
        ),
    ):
        done = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        found[name] = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return found


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(factor: int, with_pdf: bool = True) -> dict:
    """Everything measured at ``factor`` times the sample, in this process."""
    from synthetic import scaled_workbook

    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as scratch:
        work = Path(scratch)
        workbook_path, made_in = _timed(
            scaled_workbook, SAMPLE, factor, work / f"classeur_x{factor}.xlsx"
        )
        script, bare = _bare_module(work)
        repeats = _repeats(factor)
        times, by_kind, outputs, workbook = _stages(workbook_path, work / "build")
        counts = defaultdict(int)
        for output in outputs:
            counts[output.kind] += 1
        stage_peak = _peak_mb()
        # At least three pairs per kind at every size: a pair is short, and a single one
        # taken after the largest documents can catch the system taking their memory
        # back (the minutes at 100x: 27 ms once, 3,4 ms in three pairs).
        kinds = _kind_ratios(outputs, workbook, bare, max(3, repeats))
        whole = _whole_process(workbook_path, outputs, work, script, repeats)
        pool = _pool_comparison(workbook_path, work, max(1, repeats - 2)) if factor <= 100 else None
        result = {
            "facteur": factor,
            "documents": len(outputs),
            "temps": times,
            "rendu": by_kind,
            "nombres": dict(counts),
            "sortes": kinds,
            "processus": whole,
            "memoire_etapes_mo": stage_peak,
            "groupe": pool,
            "classeur_ko": workbook_path.stat().st_size // 1024,
            "fabrication_classeur_s": made_in,
        }
        if factor == 1:
            word = {
                name: (work / "build" / name).read_bytes()
                for name, (kind) in ((o.filename, o.kind) for o in outputs)
                if name.endswith(".docx")
            }
            result["pdf"] = _pdf_comparison(word, 3) if with_pdf else None
            result["imports"] = _heavy_imports(workbook_path, work)
    return result


# --- Report ----------------------------------------------------------------------------


def _table(header: list[str], lines: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]

    def render(row):
        return "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths))
        )

    return "\n".join([render(header), render(["-" * w for w in widths]), *map(render, lines)])


def _verdict(met: bool) -> str:
    return "ATTEINT" if met else "MANQUÉ"


def report(results: list[dict], conditions: dict) -> str:
    from pipeline.formats import number

    out = [
        f"Machine : {conditions['coeurs']} cœurs, charge moyenne au départ "
        f"{conditions['charge_avant']} et à la fin {conditions['charge_apres']} "
        f"(1, 5, 15 min) ; {conditions['date']}.",
        "Temps : médianes de mesures appariées (outil puis référence, puis l'inverse).",
        "",
    ]
    header = ["étape"] + [f"{r['facteur']}×" for r in results]
    kinds = list(dict.fromkeys(k for r in results for k in r["rendu"]))
    lines = [
        ["documents produits"] + [number(r["documents"]) for r in results],
        ["taille du classeur (Ko)"] + [number(r["classeur_ko"]) for r in results],
        ["fabrication du classeur (s)"] + [number(r["fabrication_classeur_s"], 2) for r in results],
    ]
    for stage in ("lecture", "validation", "préparation"):
        lines.append([f"{stage} (s)"] + [number(r["temps"][stage], 2) for r in results])
    for kind in kinds:
        lines.append(
            [f"rendu {kind} (s)"]
            + [
                f"{number(r['rendu'].get(kind, 0), 2)} ({r['nombres'].get(kind, 0)})"
                for r in results
            ]
        )
    lines.append(["écriture (s)"] + [number(r["temps"]["écriture"], 2) for r in results])
    totals = [sum(r["temps"].values()) + sum(r["rendu"].values()) for r in results]
    lines.append(["total des étapes (s)"] + [number(t, 2) for t in totals])
    lines.append(
        ["mémoire max. des étapes (Mo)"] + [number(r["memoire_etapes_mo"]) for r in results]
    )
    out += ["Étapes d'une construction dans un processus :", _table(header, lines), ""]

    lines = []
    for kind in kinds:
        row = [kind]
        for r in results:
            k = r["sortes"].get(kind)
            row.append(
                f"{number(k['outil_ms'], 1)} / {number(k['docxtpl_ms'], 1)} ms = "
                f"{number(k['ratio'], 2)}"
                if k
                else "–"
            )
        lines.append(row)
    out += [
        "Rendu par sorte de document, outil / docxtpl seul avec cache de compilation "
        f"(ms par document, {RATIO_SAMPLE} documents au plus par sorte) :",
        _table(["sorte"] + header[1:], lines),
        "",
    ]

    lines = [
        ["troika construire (s)"] + [number(r["processus"]["outil_s"], 2) for r in results],
        ["script minimal docxtpl (s)"] + [number(r["processus"]["docxtpl_s"], 2) for r in results],
        ["rapport outil / docxtpl"] + [number(r["processus"]["ratio"], 2) for r in results],
        ["mémoire max. outil, plus gros processus (Mo)"]
        + [number(r["processus"]["memoire_outil_mo"]) for r in results],
        ["mémoire max. docxtpl, plus gros processus (Mo)"]
        + [number(r["processus"]["memoire_docxtpl_mo"]) for r in results],
        ["paires de mesures"] + [str(r["processus"]["paires"]) for r in results],
    ]
    out += ["Processus complet (démarrage de Python compris) :", _table(header, lines), ""]
    pooled = [r for r in results if r.get("groupe")]
    if pooled:
        lines = [
            ["un processus (s)"] + [number(r["groupe"]["un_s"], 2) for r in pooled],
            ["deux processus (s)"] + [number(r["groupe"]["deux_s"], 2) for r in pooled],
            ["rapport deux / un"] + [number(r["groupe"]["ratio"], 2) for r in pooled],
            ["paires de mesures"] + [str(r["groupe"]["paires"]) for r in pooled],
        ]
        out += [
            "build() avec ou sans processus de rendu supplémentaire (au-delà de 40 documents) :",
            _table(["étape"] + [f"{r['facteur']}×" for r in pooled], lines),
            "",
        ]

    targets = []
    first = results[0]
    if first["facteur"] == 1:
        wall = first["processus"]["outil_s"]
        targets.append(
            (
                f"exemple de bout en bout < {number(TARGET_SAMPLE_WALL, 1)} s",
                f"{number(wall, 2)} s",
                wall < TARGET_SAMPLE_WALL,
            )
        )
    for r in results:
        limit = TARGET_PROCESS_RATIO.get(r["facteur"])
        if limit is not None:
            ratio = r["processus"]["ratio"]
            targets.append(
                (
                    f"troika construire ≤ {number(limit, 1)} × le script docxtpl à {r['facteur']}×",
                    number(ratio, 2),
                    ratio <= limit,
                )
            )
    for r in results:
        worst = max(r["sortes"].items(), key=lambda item: item[1]["ratio"])
        targets.append(
            (
                f"chaque sorte ≤ {number(TARGET_KIND_RATIO, 1)} × docxtpl à {r['facteur']}×",
                f"pire : {worst[0]} {number(worst[1]['ratio'], 2)}",
                worst[1]["ratio"] <= TARGET_KIND_RATIO,
            )
        )
    if len(results) > 1:
        per_doc = [
            (sum(r["temps"].values()) + sum(r["rendu"].values())) / r["documents"]
            for r in (results[0], results[-1])
        ]
        growth = per_doc[1] / per_doc[0]
        targets.append(
            (
                f"croissance linéaire jusqu'à {results[-1]['facteur']}× (temps par "
                f"document ≤ {number(TARGET_GROWTH, 2)} × celui de "
                f"{results[0]['facteur']}×)",
                f"{number(per_doc[0] * 1000, 1)} → {number(per_doc[1] * 1000, 1)} ms "
                f"({number(growth, 2)})",
                growth <= TARGET_GROWTH,
            )
        )
        bilan = [(r["facteur"], r["rendu"].get("bilan-annuel")) for r in results]
        bilan = [(f, t) for f, t in bilan if t]
        if len(bilan) > 1:
            (f0, t0), (f1, t1) = bilan[-2], bilan[-1]
            step = (t1 / t0) / (f1 / f0)
            targets.append(
                (
                    f"bilan annuel linéaire de {f0}× à {f1}×",
                    f"{number(t0, 2)} → {number(t1, 2)} s ({number(step, 2)} × la proportion)",
                    step <= TARGET_GROWTH,
                )
            )
    largest = results[-1]
    peak = largest["processus"]["memoire_outil_mo"]
    # The largest process of the tree (main process or a worker); 0 where the system
    # does not tell a child's peak (Windows): not measured, so not met.
    targets.append(
        (
            f"mémoire de troika construire à {largest['facteur']}× < "
            f"{number(TARGET_PEAK_MB)} Mo (plus gros processus)",
            f"{number(peak)} Mo" if peak else "non mesurée",
            0 < peak < TARGET_PEAK_MB,
        )
    )
    if first.get("pdf"):
        pdf = first["pdf"]
        out += [
            f"Copies PDF de l'exemple ({pdf['documents']} documents Word) : "
            f"{pdf['instances']} instances en parallèle {number(pdf['parallele_s'], 2)} s, "
            f"un seul lot {number(pdf['un_lot_s'], 2)} s (médianes de {pdf['paires']} "
            "paires).",
            "",
        ]
        targets.append(
            (
                f"PDF en parallèle ≤ {number(TARGET_PDF_RATIO, 1)} × un seul lot",
                number(pdf["ratio"], 2),
                pdf["ratio"] <= TARGET_PDF_RATIO,
            )
        )
    if first.get("imports") is not None:
        imports = first["imports"]
        out += [
            f"Bibliothèques lourdes chargées : troika verifier : "
            f"{imports['verifier'] or 'aucune'} ; troika construire : "
            f"{imports['construire'] or 'aucune'}.",
            "",
        ]
        targets.append(
            (
                "troika verifier sans docxtpl ni matplotlib",
                imports["verifier"] or "aucune",
                not imports["verifier"],
            )
        )
        # The documents' charts are native Word charts (python-pptx): matplotlib
        # draws the website's pictures only.
        targets.append(
            (
                "troika construire sans matplotlib",
                imports["construire"] or "aucune",
                "matplotlib" not in imports["construire"].split(","),
            )
        )
    lines = [[name, value, _verdict(met)] for name, value, met in targets]
    out += ["Objectifs :", _table(["objectif", "mesure", "verdict"], lines)]
    return "\n".join(out)


def _load() -> str:
    try:
        return " ".join(f"{v:.1f}".replace(".", ",") for v in os.getloadavg())
    except OSError:
        return "inconnue"


def main(argv: list[str]) -> None:
    if argv[:1] == ["--une-taille"]:
        print(json.dumps(measure(int(argv[1]), with_pdf="--sans-pdf" not in argv)))
        return
    if argv[:1] == ["--depuis"]:
        # Reprint the report of earlier runs, merged: --depuis a.json b.json
        saved = [json.loads(Path(name).read_text(encoding="utf-8")) for name in argv[1:]]
        results = sorted((r for run in saved for r in run["resultats"]), key=lambda r: r["facteur"])
        conditions = dict(saved[0]["conditions"])
        conditions["charge_apres"] = saved[-1]["conditions"]["charge_apres"]
        conditions["date"] = " et ".join(run["conditions"]["date"] for run in saved)
        print(report(results, conditions))
        return
    keep = argv[argv.index("--garder") + 1] if "--garder" in argv else None
    argv = [a for a in argv if a not in ("--garder", keep)]
    options = [a for a in argv if a.startswith("--")]
    factors = [int(a) for a in argv if not a.startswith("--")] or [1, 10, 100, 300]
    conditions = {
        "coeurs": os.cpu_count(),
        "charge_avant": _load(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    results = []
    for factor in factors:
        print(f"Mesure à {factor}× l'exemple…", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, __file__, "--une-taille", str(factor), *options],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(f"La mesure à {factor}× a échoué :\n{done.stderr[-3000:]}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    conditions["charge_apres"] = _load()
    if keep:  # the raw figures, to merge runs made separately (see --depuis)
        Path(keep).write_text(
            json.dumps({"conditions": conditions, "resultats": results}), encoding="utf-8"
        )
    print(report(results, conditions))
    left = sorted(Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*"))
    if left:
        print(f"\nAttention : dossiers temporaires restants : {', '.join(map(str, left))}")


if __name__ == "__main__":
    main(sys.argv[1:])
