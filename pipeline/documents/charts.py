"""Charts of the activity reports.

In the Word documents a chart is a native Word chart (a DrawingML ``c:chartSpace``
part, see :func:`rate_chart` and :func:`place_chart`): Word and LibreOffice draw it
themselves, crisp on paper and in PDF, and staff can restyle it or edit its data in
Word (« Modifier les données » opens the workbook embedded with it). Its XML and its
workbook are written by python-pptx, whose chart writer produces the same
``c:chartSpace`` part for every Office application.

The website keeps PNG pictures drawn by matplotlib (:func:`rate_png`): a browser
cannot draw an Office chart.

Both are deterministic (no date, clock or software name in them), so the same
workbook gives the same documents. Labels are French and percentages are formatted by
:mod:`pipeline.formats` (Babel).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from functools import cached_property

from ..formats import number, percent

BLUE = "#1F4E79"
LIGHT = "#8EAADB"
GREY = "#595959"
GRID = "#D9D9D9"
TEXT = "#000000"
# The charter's body font (docDefaults of templates/charte.docx): without it, Word
# would write the chart in the theme's font, not the document's.
FONT = "Arial"
MAX_HEIGHT_IN = 9.0
MAX_BARS = 30
# Axis ticks: integer percentages (no decimal sign for the reader's Windows settings
# to choose) with the non-breaking space Babel's French format puts before « % ».
TICK_FORMAT = '0"\u00a0"%'
NOTHING_SCHEDULED = "– (aucune activité programmée)"
SERIES_NAME = "Taux d'exécution"
# The embedded workbook's created date: a constant, since a chart carries no date of
# its own and the same workbook must give the same bytes.
_WORKBOOK_DAY = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Chart:
    """A native chart to place in a Word document: a context value of this type (top
    level, or in a dict or list of the context) becomes an inline chart of the given
    size when rendering (:func:`place_chart`), since a chart is a part of the document
    being rendered. ``xml`` is the ``c:chartSpace`` part; ``workbook``, if any, the
    .xlsx holding its data, related from the chart as its ``c:externalData``."""

    xml: bytes = field(repr=False)
    width_cm: float
    height_cm: float
    description: str = ""
    workbook: bytes | None = field(default=None, repr=False)

    @property
    def drawn(self) -> Chart:
        return self


@dataclass(frozen=True)
class RateChart:
    """What :func:`rate_chart` returns: the bars of a chart, drawn as a :class:`Chart`
    the first time it is placed or read. A build thus draws its charts (and loads
    python-pptx) in the worker processes that render the reports, in parallel with the
    other documents, not in the main process before any document is rendered."""

    labels: tuple[str, ...]
    rates: tuple[float | None, ...]
    total_label: str
    total_rate: float | None
    width_cm: float = 15.5

    @cached_property
    def drawn(self) -> Chart:
        return _draw(
            _bars(list(self.labels), list(self.rates), self.total_label, self.total_rate),
            self.width_cm,
        )

    xml = property(lambda self: self.drawn.xml)
    height_cm = property(lambda self: self.drawn.height_cm)
    description = property(lambda self: self.drawn.description)
    workbook = property(lambda self: self.drawn.workbook)


@dataclass(frozen=True)
class _Bars:
    names: list[str]  # the labels, then the overall label last
    rates: list[float | None]
    hidden: int  # labels beyond MAX_BARS, listed by the table only

    @property
    def axis_title(self) -> str:
        return SERIES_NAME + (
            f" – {number(self.hidden)} autres axes dans le tableau" if self.hidden else ""
        )

    @property
    def height_in(self) -> float:
        return min(0.42 * len(self.names) + 0.8, MAX_HEIGHT_IN)

    @property
    def font_pt(self) -> float:
        return 8 if len(self.names) <= 20 else 6


def _bars(
    labels: list[str], rates: list[float | None], total_label: str, total_rate: float | None
) -> _Bars:
    # A readable chart has a few dozen bars at most: past MAX_BARS axes, the chart
    # shows the first ones and says how many more the table lists.
    return _Bars(
        [*labels[:MAX_BARS], total_label],
        [*rates[:MAX_BARS], total_rate],
        max(0, len(labels) - MAX_BARS),
    )


def _label(rate: float | None) -> str:
    return percent(rate) if rate is not None else NOTHING_SCHEDULED


def rate_chart(
    labels: list[str],
    rates: list[float | None],
    total_label: str,
    total_rate: float | None,
    width_cm: float = 15.5,
) -> RateChart:
    """A native Word chart of execution rates (0 to 100 %): horizontal bars, one per
    label from the top, plus the overall rate last in a darker colour; a rate of None
    is an empty bar labelled « – (aucune activité programmée) »."""
    return RateChart(tuple(labels), tuple(rates), total_label, total_rate, width_cm)


def _draw(bars: _Bars, width_cm: float) -> Chart:
    """The chart of ``bars``, written by python-pptx (see :func:`rate_chart`)."""
    # Imported here: python-pptx takes a tenth of a second to load, and most commands
    # (verifier, --help, a PTA alone) make no chart.
    from pptx.chart.chart import Chart as ChartObject
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_MARK
    from pptx.opc.oxml import serialize_part_xml
    from pptx.oxml import parse_xml
    from pptx.util import Pt

    from ..output.archive import normalize_zip

    data = CategoryChartData(number_format="0.0%")
    data.categories = bars.names
    # A rate of None is drawn as an empty bar: a missing point would lose its label.
    data.add_series(SERIES_NAME, [rate or 0.0 for rate in bars.rates])
    space = parse_xml(ChartXmlWriter(XL_CHART_TYPE.BAR_CLUSTERED, data).xml.encode("utf-8"))
    chart = ChartObject(space, None)
    chart.has_legend = False
    chart.has_title = False  # else Word titles a one-series chart with its name
    chart.font.name = FONT
    chart.font.size = Pt(bars.font_pt)
    chart.font.color.rgb = _rgb(GREY)

    plot = chart.plots[0]
    plot.gap_width = 65  # bars 0.6 of their slot, as before
    plot.vary_by_categories = False
    series = plot.series[0]
    series.invert_if_negative = False
    _fill(series.format, LIGHT)
    _fill(series.points[len(bars.names) - 1].format, BLUE)
    # Each label is the report's own text (Babel's French percent, or the dash): a
    # number format would follow the reader's Windows settings, not French usage.
    plot.has_data_labels = True
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.show_value = True
    for index, rate in enumerate(bars.rates):
        label = series.points[index].data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        label.text_frame.text = _label(rate)
        label.text_frame.word_wrap = False  # LibreOffice would wrap the dash's words
        _font(label.text_frame.paragraphs[0].runs[0].font, bars.font_pt)

    categories = chart.category_axis
    categories.reverse_order = True  # the first axis at the top, the overall bar last
    categories.major_tick_mark = XL_TICK_MARK.NONE
    categories.format.line.color.rgb = _rgb(GREY)
    categories.tick_labels.font.color.rgb = _rgb(TEXT)  # the bars' names read as text
    values = chart.value_axis
    # With the categories reversed, the percent scale stays at the bottom by crossing
    # them at their last one. python-pptx's ValueAxis.crosses sets the other end (where
    # the category axis crosses this one), so its element's own setter is used: a
    # private method, behind python-pptx's pin (<1.1) and guarded by
    # tests/test_rapports.py::test_the_percent_scale_crosses_the_last_category.
    values._element._remove_crosses()
    values._element._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)
    # Room past 100 % for the label of a full bar.
    values.minimum_scale, values.maximum_scale, values.major_unit = 0.0, 1.18, 0.25
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb(GRID)
    values.major_gridlines.format.line.width = Pt(0.5)
    values.format.line.color.rgb = _rgb(GREY)
    values.major_tick_mark = XL_TICK_MARK.NONE
    # Integer percentages only: no decimal separator whose sign the reader's settings
    # would choose, and Babel's French space before « % ».
    values.tick_labels.number_format = TICK_FORMAT
    values.tick_labels.number_format_is_linked = False
    values.has_title = True
    values.axis_title.text_frame.text = bars.axis_title
    _font(values.axis_title.text_frame.paragraphs[0].runs[0].font, 8)

    _clear_chart_area(space)
    _number_axes(space)
    workbook = normalize_zip(data.xlsx_blob, _WORKBOOK_DAY)
    external = space.get_or_add_externalData()
    external.rId = "rId1"  # the chart part's only relationship (place_chart)
    return Chart(
        serialize_part_xml(space),
        width_cm,
        round(bars.height_in * 2.54, 2),
        "Taux d'exécution par axe : "
        + " ; ".join(f"{name} {_label(rate)}" for name, rate in zip(bars.names, bars.rates)),
        workbook,
    )


def _clear_chart_area(space) -> None:
    """Square corners and no fill nor border around the chart, as a figure of the
    page: without these elements, which python-pptx's model does not cover, Office
    draws the chart area as a rounded box."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls

    rounded = parse_xml(f'<c:roundedCorners {nsdecls("c")} val="0"/>')
    space.date1904.addnext(rounded)  # c:date1904, c:lang?, c:roundedCorners, ...
    space.chart.addnext(
        parse_xml(  # c:chart, c:spPr, c:txPr, ...
            f"<c:spPr {nsdecls('c', 'a')}><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
        )
    )


def _number_axes(space) -> None:
    """Axis ids 1, 2... : python-pptx writes negative ones (as PowerPoint 2011 did),
    which the schema's unsigned c:axId and c:crossAx do not allow."""
    from pptx.oxml.ns import qn

    ids: dict[str, str] = {}
    for element in space.iter(qn("c:axId"), qn("c:crossAx")):
        element.set("val", ids.setdefault(element.get("val"), str(len(ids) + 1)))


def _rgb(colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#"))


def _fill(chart_format, colour: str) -> None:
    chart_format.fill.solid()
    chart_format.fill.fore_color.rgb = _rgb(colour)


def _font(font, size_pt: float) -> None:
    from pptx.util import Pt

    font.name = FONT
    font.size = Pt(size_pt)
    font.bold = False
    font.color.rgb = _rgb(GREY)


class _PlacedChart:
    """A chart as docxtpl places a value: its run's XML, made when the template
    outputs it, in the part being rendered then (body, header...)."""

    def __init__(self, doc, chart: Chart | RateChart):
        self.doc, self.chart = doc, chart

    def __html__(self) -> str:
        return place_chart(self.doc.current_rendering_part, self.chart.drawn)

    __str__ = __html__


def placed(doc, chart: Chart | RateChart) -> _PlacedChart:
    """The context value that puts ``chart`` where a template of ``doc`` outputs it."""
    return _PlacedChart(doc, chart)


def place_chart(part, chart: Chart) -> str:
    """Add ``chart`` to the package of ``part`` (a python-docx story part) and return
    the XML that places it inline, closing and reopening the current run and text as
    docxtpl's InlineImage does.

    The OOXML rules followed: the chart is a part /word/charts/chartN.xml of type
    drawingml.chart, related from ``part``; its workbook a part
    /word/embeddings/Microsoft_Excel_WorksheetN.xlsx, related from the chart as its
    first relationship (the rId1 of its c:externalData); the inline is
    wp:inline/a:graphic/a:graphicData[@uri=.../chart]/c:chart[@r:id]."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import Part
    from docx.oxml.ns import nsdecls
    from docx.oxml.parser import parse_xml
    from docx.shared import Cm

    package = part.package
    chart_part = Part(
        package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, chart.xml, package
    )
    if chart.workbook is not None:
        sheet = Part(
            package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
            CT.SML_SHEET,
            chart.workbook,
            package,
        )
        if chart_part.relate_to(sheet, RT.PACKAGE) != "rId1":
            raise AssertionError("the chart's workbook must be its first relationship")
    r_id = part.relate_to(chart_part, RT.CHART)
    shape_id = part.next_id
    # An inline drawing as python-docx makes one for a picture, holding a chart instead.
    inline = parse_xml(
        f"<wp:inline {nsdecls('wp', 'a', 'r')}>"
        '<wp:extent cx="0" cy="0"/><wp:docPr id="0" name=""/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri=""/></a:graphic></wp:inline>'
    )
    inline.extent.cx, inline.extent.cy = Cm(chart.width_cm), Cm(chart.height_cm)
    inline.docPr.id = shape_id
    inline.docPr.name = f"Graphique {shape_id}"
    if chart.description:
        inline.docPr.set("descr", chart.description)
    data = inline.graphic.graphicData
    data.uri = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    data.append(parse_xml(f'<c:chart {nsdecls("c", "r")} r:id="{r_id}"/>'))
    return (
        f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'
    )


def rate_png(
    labels: list[str],
    rates: list[float | None],
    total_label: str,
    total_rate: float | None,
    width_cm: float = 15.5,
) -> bytes:
    """The same chart as :func:`rate_chart`, as a PNG picture for the website."""
    bars = _bars(labels, rates, total_label, total_rate)
    # Imported here: matplotlib takes a third of a second to load, and only the
    # website draws pictures.
    from matplotlib.figure import Figure

    size = bars.font_pt
    figure = Figure(figsize=(width_cm / 2.54, bars.height_in), dpi=150)
    figure.patch.set_facecolor("white")
    axes = figure.add_subplot()
    positions = list(range(len(bars.names)))[::-1]
    colours = [LIGHT] * (len(bars.names) - 1) + [BLUE]
    axes.barh(positions, [100 * (v or 0) for v in bars.rates], color=colours, height=0.6)
    for y, value in zip(positions, bars.rates):
        axes.text(
            100 * (value or 0) + 1.5, y, _label(value), va="center", fontsize=size, color=GREY
        )
    axes.set_yticks(positions, bars.names, fontsize=size)
    axes.set_xlim(0, 118)
    ticks = [0, 25, 50, 75, 100]
    axes.set_xticks(ticks, [percent(t / 100, 0) for t in ticks], fontsize=7.5, color=GREY)
    axes.set_xlabel(bars.axis_title, fontsize=8, color=GREY)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
