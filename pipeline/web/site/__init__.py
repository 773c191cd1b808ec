"""``troika site``: the static website of the plan's progress, written to build/site/.

    result = build_site("inputs", "build", today)   # build/site/index.html, ...

Plain HTML and CSS pages (no JavaScript, nothing loaded from elsewhere) for the
Troïka's website: the plan (axes, products, activities and their months), the
execution rates per axis and per period with their charts, the meetings held, the
latest Flash info, the recommendations and commitments of the register marked public
(column « Publique » of the sheet Recommandations) with their status on the site's date,
and the documents the workbook marks public (column « Public » of the Diffusion sheet;
nothing is public by default).

Every figure comes from :mod:`pipeline.documents.figures` through the same calls as the
quarterly reports and the annual review, and every chart is drawn by
:func:`pipeline.documents.charts.rate_png` with the bars of the reports' charts. The public
documents are rendered by :func:`pipeline.build.render_outputs`, as by ``troika
construire``. The same workbook and date give the same bytes; the folder is replaced as a whole
(:func:`pipeline.output.writer.replace_folder`), never left half-written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import struct
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ... import formats
from ... import progress as progress_
from ...build import TEMPLATES, render_outputs
from ...distribute.pdf import convert_to_pdf
from ...documents import KINDS, Options, figures, plan_outputs
from ...documents.charts import rate_png
from ...documents.listing import Described, describe
from ...documents.rapports import due_periods
from ...exceptions import ConversionError
from ...model import FlashIssue, Workbook, predictability_table
from ...output.writer import replace_folder
from ...report import Report
from ...validate import load_valid

FOLDER = "site"
WEB = Path(__file__).resolve().parent  # the site's HTML templates and style sheet


@dataclass(frozen=True)
class Page:
    file: str
    label: str  # in the navigation
    title: str  # <h1> and <title>


PAGES = (
    Page("index.html", "Avancement", "Avancement du plan de travail"),
    Page("plan.html", "Le plan", "Le plan de travail annuel"),
    Page("reunions.html", "Réunions", "Réunions tenues"),
    Page("flash.html", "Flash info", "Le dernier Flash info"),
    Page("recommandations.html", "Recommandations", "Suivi des recommandations des revues"),
    Page("documents.html", "Documents", "Documents publics"),
)


@dataclass(frozen=True)
class Image:
    """A chart as a file of the site, with the text that replaces it for those who
    cannot see it."""

    path: str  # relative to the site's root
    alt: str
    width: int  # pixels, so the page does not jump while the image loads
    height: int
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class RateLine:
    label: str  # "Axe 1", "Trimestre 2"
    detail: str  # the axis title, the period's dates
    execution: figures.Execution


@dataclass(frozen=True)
class PeriodProgress:
    label: str
    text: str  # "du 1er septembre au 30 novembre 2021"
    ongoing: bool  # the period is not over on the site's date
    execution: figures.Execution
    axes: list[RateLine]
    chart: Image


@dataclass(frozen=True)
class Progress:
    as_of: dt.date
    execution: figures.Execution  # the whole mandate, latest status of each activity
    axes: list[RateLine]
    axes_chart: Image
    periods: list[PeriodProgress]
    period_lines: list[RateLine]  # the periods' overall rates, one line each
    periods_chart: Image | None  # None before the first period starts


@dataclass(frozen=True)
class ActivityLine:
    code: str
    title: str
    bodies: str  # "Troïka, Secrétariat technique"
    months: str  # "sept., oct. et nov. 2021 ; janv. 2022"


@dataclass(frozen=True)
class PublicDocument:
    document: Described
    href: str  # relative to the site's root
    size: str  # "45 ko"
    format: str  # "Word", "Excel"
    pdf_href: str | None = None  # its PDF copy, next to it, when LibreOffice made one
    pdf_size: str = ""


@dataclass
class SiteResult:
    report: Report  # the workbook's warnings
    folder: Path
    written: list[Path]


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header (IHDR)."""
    return struct.unpack(">II", png[16:24])


def _chart(
    path: str, title: str, lines: list[RateLine], total_label: str, total: figures.Execution
) -> Image:
    png = rate_png(
        [line.label for line in lines],
        [line.execution.rate for line in lines],
        total_label,
        total.rate,
    )
    values = [(line.label, line.execution.rate) for line in lines] + [(total_label, total.rate)]
    alt = (
        f"{title} : "
        + " ; ".join(
            f"{label} {formats.percent(rate) if rate is not None else 'aucune activité programmée'}"
            for label, rate in values
        )
        + "."
    )
    width, height = _png_size(png)
    return Image(path, alt, width, height, png)


def _axis_lines(axes: list[figures.AxisExecution]) -> list[RateLine]:
    return [RateLine(f"Axe {a.axis.number}", a.axis.title, a.execution) for a in axes]


def measure_progress(workbook: Workbook, today: dt.date) -> Progress:
    """The execution rates of the site, computed as the reports compute them: a period as
    in its quarterly report, the mandate as in the annual review."""
    plan, reporting = workbook.plan, workbook.reporting
    mandate = plan.mandate
    as_of = max(min(mandate.end, today), mandate.start)  # as the annual review
    statuses = figures.mandate_statuses(plan, reporting, as_of)
    total = figures.overall(statuses)
    axes = _axis_lines(figures.by_axis(plan, statuses))
    periods = []
    for period in due_periods(reporting, today):
        period_statuses = figures.period_statuses(plan, reporting, period)
        execution = figures.overall(period_statuses)
        lines = _axis_lines(figures.by_axis(plan, period_statuses))
        chart = _chart(
            f"images/taux_{period.start:%Y-%m}_{period.end:%Y-%m}.png",
            f"Taux d'exécution par axe, {period.label}",
            lines,
            "Ensemble",
            execution,
        )
        periods.append(
            PeriodProgress(
                period.label,
                formats.period(period.start, period.end),
                today < period.end,
                execution,
                lines,
                chart,
            )
        )
    period_lines = [RateLine(p.label, p.text, p.execution) for p in periods]
    return Progress(
        as_of,
        total,
        axes,
        _chart(
            "images/taux_par_axe.png",
            "Taux d'exécution par axe sur le mandat",
            axes,
            "Ensemble",
            total,
        ),
        periods,
        period_lines,
        _chart(
            "images/taux_par_periode.png",
            "Taux d'exécution par période",
            period_lines,
            "Ensemble du mandat",
            total,
        )
        if periods
        else None,
    )


def _months_text(months: frozenset[dt.date]) -> str:
    """ "sept., oct. et nov. 2021 ; janv. 2022": abbreviated French months, year by year."""
    years = []
    for year in sorted({m.year for m in months}):
        names = [formats.month_short(m) for m in sorted(m for m in months if m.year == year)]
        listed = ", ".join(names[:-1]) + " et " + names[-1] if len(names) > 1 else names[0]
        years.append(f"{listed} {year}")
    return " ; ".join(years) or "aucun mois programmé"


def _activity_lines(workbook: Workbook) -> dict[str, list[ActivityLine]]:
    """The plan's activities by product code, with their months as text."""
    return {
        str(product.number): [
            ActivityLine(
                a.code, a.title, ", ".join(b.name for b in a.bodies), _months_text(a.months)
            )
            for a in product.activities
        ]
        for product in workbook.plan.products
    }


def latest_flash(workbook: Workbook, today: dt.date) -> FlashIssue | None:
    """The latest issue published by the site's date."""
    published = [issue for issue in workbook.flash if issue.date <= today]
    return max(published, key=lambda issue: (issue.date, issue.number), default=None)


def _size(data: bytes) -> str:
    return f"{formats.number(max(1, round(len(data) / 1024)))} ko"


def public_documents(
    workbook: Workbook, today: dt.date, templates: Path, pdf: bool = True
) -> tuple[list[PublicDocument], dict[str, bytes]]:
    """The documents of the kinds marked public, rendered as ``troika construire`` does,
    and their files under documents/, each Word document with its PDF copy when ``pdf``
    (the only files of the site that differ from one build to the next: LibreOffice
    writes the time of conversion in them)."""
    kinds = workbook.distribution.public
    if not kinds:
        return [], {}
    outputs = plan_outputs(workbook, Options(today), kinds)
    contents = render_outputs(outputs, templates, workbook.plan.document_date)
    documents, files = [], {}
    for described, data in zip(describe(outputs, workbook.plan), contents):
        href = f"documents/{described.filename}"
        files[href] = data
        kind = "Excel" if described.filename.endswith(".xlsx") else "Word"
        documents.append(PublicDocument(described, href, _size(data), kind))
    if not pdf:
        return documents, files
    pdfs = _pdf_copies({d.href: files[d.href] for d in documents if d.format == "Word"})
    for index, document in enumerate(documents):
        copy = pdfs.get(document.href)
        if copy is not None:
            pdf_href = document.href.removesuffix(".docx") + ".pdf"
            files[pdf_href] = copy
            documents[index] = dataclasses.replace(
                document, pdf_href=pdf_href, pdf_size=_size(copy)
            )
    return documents, files


def _pdf_copies(word: dict[str, bytes]) -> dict[str, bytes]:
    """PDF copies of the public Word documents, made by LibreOffice as for the
    distribution; none when LibreOffice is missing or fails (the site then offers Word
    only, as before)."""
    try:
        return convert_to_pdf(word)
    except ConversionError:
        return {}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(WEB),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(formats.FILTERS)
    return env


def site_pages(workbook: Workbook) -> list[Page]:
    """The site's pages: the list of meetings only when the workbook says to publish it
    (« Publier la liste des réunions sur le site », Paramètres), the recommendations only
    when the register has a public one."""
    shown = {
        "reunions.html": workbook.distribution.publish_meetings,
        "recommandations.html": any(r.public for r in workbook.reporting.recommendations),
    }
    return [p for p in PAGES if shown.get(p.file, True)]


def public_recommendations(workbook: Workbook, today: dt.date) -> list[figures.SourceGroup]:
    """The register's public items that exist on the site's date, each with its status
    that day, by source. Nothing else of the register reaches the site: an item is public
    only when its « Publique » cell says so."""
    public = [r for r in workbook.reporting.recommendations if r.public]
    return figures.by_source(figures.register_on(public, today))


def make_site(
    workbook: Workbook, today: dt.date, templates: Path = TEMPLATES, pdf: bool = True
) -> dict[str, bytes]:
    """Every file of the site, by path relative to its root, in memory."""
    progress = measure_progress(workbook, today)
    documents, document_files = public_documents(workbook, today, templates, pdf)
    pages = site_pages(workbook)
    reporting = workbook.reporting
    mandate = workbook.plan.mandate
    by_kind = [
        (KINDS[kind].label, [d for d in documents if d.document.kind == kind])
        for kind in workbook.distribution.public
    ]
    context = {
        "plan": workbook.plan,
        "pages": pages,
        "objectives": workbook.plan.text("objectifs_specifiques"),
        "today": today,
        "progress": progress,
        "activities": _activity_lines(workbook),
        "meeting_counts": figures.meeting_counts(
            reporting, mandate.start, mandate.end, whole_mandate=True
        ),
        "meetings": reporting.meetings,  # as the annual review: every meeting held
        "flash": latest_flash(workbook, today),
        "recommendations": public_recommendations(workbook, today),
        "documents": [(label, group) for label, group in by_kind if group],
        # Only when a document that shows it (the bilan, the forecast) is public.
        "predictability": predictability_table(workbook.partners)
        if workbook.partners
        and {"bilan-annuel", "previsions-decaissements"} & set(workbook.distribution.public)
        else None,
    }
    env = _environment()
    files = {
        page.file: env.get_template(page.file).render(context, page=page).encode("utf-8")
        for page in pages
    }
    files["style.css"] = (WEB / "style.css").read_bytes()
    images = [progress.axes_chart, *(p.chart for p in progress.periods)]
    if progress.periods_chart is not None:
        images.append(progress.periods_chart)
    files.update({image.path: image.data for image in images})
    files.update(document_files)
    return files


def build_site(
    path: Path,
    out_dir: Path,
    today: dt.date | None = None,
    templates: Path = TEMPLATES,
    progress: progress_.Progress = progress_.ignore,
) -> SiteResult:
    """Write the site of the workbook at ``path`` to ``out_dir``/site/, replacing the
    previous one as a whole; InvalidWorkbook when the workbook has errors. ``progress``
    hears of a wait for a build writing to ``out_dir`` meanwhile."""
    workbook, report = load_valid(Path(path))
    files = make_site(workbook, today or dt.date.today(), templates)
    folder = Path(out_dir) / FOLDER
    # Under build/'s lock, as every writer of it: a build running meanwhile would take
    # the site's staging folder for a leftover and delete it.
    return SiteResult(report, folder, replace_folder(files, folder, Path(out_dir), progress))
