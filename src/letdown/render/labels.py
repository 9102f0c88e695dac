"""Container labels (62 × 29 mm) as SVG or PDF: volume, expressed, use-by, and a QR code of the id.

The QR code (``segno``, a regular QR code that phone cameras read, not a Micro QR) holds the
container's web address (``BASE/c/ID``, which opens it in the web app) when the server's base
URL is known, else the container id alone. PDF output uses ``fpdf2``'s built-in Helvetica
(Latin-1; other characters in a label are replaced).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from letdown.domain.choices import Units
from letdown.domain.errors import InvalidInput
from letdown.domain.units import format_volume
from letdown.files import write_private
from letdown.guidance.rules import PLACE_WORDS
from letdown.services.stash.containers import ContainerView

WIDTH, HEIGHT = 62.0, 29.0  # mm, a common label roll
QR_SIZE = 23.0  # mm, quiet zone included
QR_BORDER = 2  # modules of quiet zone
TEXT_WIDTH = WIDTH - QR_SIZE - 4.5  # mm left for text
CHAR_EM = 0.56  # a generous average width of a Helvetica character, in ems
FORMATS = ("svg", "pdf")
SCAN_HINT = "scan for the current use-by"


@dataclass(frozen=True)
class LabelText:
    """The lines a label carries, already in the household's zone and units."""

    title: str
    lines: tuple[str, ...]
    container_id: str
    qr: str = ""

    @property
    def qr_text(self) -> str:
        return self.qr or self.container_id

    @property
    def footer(self) -> str:
        """The last line: the id, and where the current use-by is (the printed one can go stale)."""
        return f"id {self.container_id} · {SCAN_HINT}"


def container_url(base_url: str, container_id: str) -> str:
    """The address a label's QR code opens: the web app's short container route."""
    return f"{base_url.rstrip('/')}/c/{container_id}"


def label_text(view: ContainerView, tz: ZoneInfo, units: Units, base_url: str | None = None) -> LabelText:
    s = view.standing
    when = "%d %b %Y %H:%M"
    lines = [
        f"{format_volume(s.ml, units)}, {s.word}",
        f"Expressed {s.expressed_at.astimezone(tz).strftime(when)}",
        # the printed use-by goes stale once the milk moves, thaws or warms: say where it holds
        f"Use by {s.use_by.astimezone(tz).strftime(when)} if kept {PLACE_WORDS[s.location]}",
    ]
    if s.best_by is not None:
        lines.append(f"Best by {s.best_by.astimezone(tz).strftime(when)}")
    lines.append(f"Rule {s.rule.id}" + (" (our careful reading)" if s.rule.ours else ""))
    qr = container_url(base_url, view.id) if base_url else ""
    return LabelText(view.label or "Breast milk", tuple(lines), view.id, qr)


def _qr_modules(text: str) -> list[list[bool]]:
    import segno

    qr = segno.make(text, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in qr.matrix]


def _qr_layout(count: int) -> tuple[float, float, float]:
    """Where the QR code goes: left x, top y, and one module's size in mm."""
    module = QR_SIZE / (count + 2 * QR_BORDER)
    return WIDTH - QR_SIZE - 1.0, (HEIGHT - QR_SIZE) / 2, module


def _svg_text(x: float, y: float, size: float, line: str, bold: bool = False) -> str:
    """A line of text, in a smaller size when it might reach the QR code."""
    weight = ' font-weight="bold"' if bold else ""
    size = min(size, TEXT_WIDTH / max(1, len(line) * CHAR_EM))
    return f'<text x="{x:g}" y="{y:.1f}" font-size="{size:.2f}"{weight}>{escape(line)}</text>'


def render_svg(text: LabelText) -> str:
    modules = _qr_modules(text.qr_text)
    left, top, module = _qr_layout(len(modules))
    path = "".join(
        f"M{x + QR_BORDER},{y + QR_BORDER}h1v1h-1z"
        for y, row in enumerate(modules)
        for x, dark in enumerate(row)
        if dark
    )
    body = [_svg_text(2, 5, 3.4, text.title, bold=True)]
    body += [_svg_text(2, 9.5 + 3.5 * i, 2.5, line) for i, line in enumerate(text.lines)]
    body.append(_svg_text(2, HEIGHT - 1.5, 2.2, text.footer))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{WIDTH:g}mm" height="{HEIGHT:g}mm" viewBox="0 0 {WIDTH:g} {HEIGHT:g}">\n'
        f'<rect width="{WIDTH:g}" height="{HEIGHT:g}" fill="#fff"/>\n'
        f'<g font-family="Helvetica, Arial, sans-serif" fill="#000">\n{chr(10).join(body)}\n</g>\n'
        f'<path transform="translate({left:.3f} {top:.3f}) scale({module:.4f})" fill="#000" d="{path}"/>\n'
        "</svg>\n"
    )


def _latin1(line: str) -> str:
    return line.encode("latin-1", errors="replace").decode("latin-1")


def render_pdf(text: LabelText) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format=(WIDTH, HEIGHT))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_page()

    def write(y: float, line: str, points: float, style: str = "") -> None:
        pdf.set_font("Helvetica", style=style, size=points)
        while pdf.get_string_width(line) > TEXT_WIDTH and points > 4:
            points -= 0.5
            pdf.set_font("Helvetica", style=style, size=points)
        pdf.text(2, y, line)

    write(5, _latin1(text.title), 9.5, "B")
    for i, line in enumerate(text.lines):
        write(9.5 + 3.5 * i, _latin1(line), 7)
    write(HEIGHT - 1.5, _latin1(text.footer), 6)
    modules = _qr_modules(text.qr_text)
    left, top, module = _qr_layout(len(modules))
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                pdf.rect(left + (x + QR_BORDER) * module, top + (y + QR_BORDER) * module, module, module, "F")
    return bytes(pdf.output())


def write_label(text: LabelText, out: Path) -> str:
    """Write the label to ``out``; its extension (.svg or .pdf) picks the format."""
    kind = out.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise InvalidInput("out", f"'{out.name}' must end in .svg or .pdf")
    if kind == "svg":
        write_private(out, render_svg(text))
    else:
        write_private(out, render_pdf(text))
    return kind
