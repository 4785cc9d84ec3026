"""Weekly line charts drawn as SVG on the server (no script, so CSP stays `script-src 'self'`).

The SVG is written here rather than in a template: 52 points with their titles, four times a page, cost a
template engine more than the page's queries (see bench/README.md); every text goes through `escape`.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 200, 44, 24, 12

SERIES = (
    ("active_members", "Active members"),
    ("contributors", "Contributors"),
    ("posts", "Posts"),
    ("visits", "Visits"),
)


@dataclass
class Chart:
    key: str
    title: str
    points: str  # the polyline's points
    dots: list  # (x, y, week, value)
    markers: list  # (x, labels)
    ticks: list  # (y, value)
    months: list  # (x, label)
    maximum: int
    markup: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    top: int = TOP


def _nice(maximum: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if maximum <= step * 4:
            return step * 4
    return maximum


def chart(weeks, key: str, title: str) -> Chart:
    values = [getattr(w, key) for w in weeks]
    top = _nice(max(values, default=0) or 1)
    span_x = (WIDTH - LEFT - 8) / max(len(weeks) - 1, 1)
    span_y = HEIGHT - BOTTOM - TOP

    def x(i):
        return round(LEFT + i * span_x, 1)

    def y(v):
        return round(HEIGHT - BOTTOM - span_y * v / top, 1)

    dots = [(x(i), y(v), w.start, v) for i, (w, v) in enumerate(zip(weeks, values, strict=True))]
    months, seen = [], set()
    for i, w in enumerate(weeks):
        if w.start.month not in seen and w.start.day <= 7:
            seen.add(w.start.month)
            months.append((x(i), w.start.strftime("%b")))
    return Chart(
        key=key,
        title=title,
        points=" ".join(f"{px},{py}" for px, py, _, _ in dots),
        dots=dots,
        markers=[(x(i), "; ".join(label for _, _, label in w.markers)) for i, w in enumerate(weeks) if w.markers],
        ticks=[(y(top * k / 4), round(top * k / 4)) for k in range(5)],
        months=months,
        maximum=top,
    )


def charts(weeks) -> list[Chart]:
    drawn = [chart(weeks, key, title) for key, title in SERIES]
    for c in drawn:
        c.markup = svg(c)
    return drawn


def svg(c: Chart) -> str:
    """The chart's SVG markup (safe: numbers, and labels escaped)."""
    parts = [
        f'<svg viewBox="0 0 {c.width} {c.height}" role="img" aria-labelledby="chart-{c.key}" class="chart-svg" '
        'focusable="false">'
    ]
    for y, value in c.ticks:
        parts.append(
            f'<line x1="{c.left}" x2="{c.width}" y1="{y}" y2="{y}" class="chart-grid"/>'
            f'<text x="{c.left - 6}" y="{y}" class="chart-tick" text-anchor="end" dominant-baseline="middle">'
            f"{value}</text>"
        )
    for x, label in c.months:
        parts.append(
            f'<text x="{x}" y="{c.height - 6}" class="chart-tick" text-anchor="middle">{escape(label)}</text>'
        )
    for x, label in c.markers:
        parts.append(
            f'<line x1="{x}" x2="{x}" y1="{c.top}" y2="{c.plot_bottom}" class="chart-marker">'
            f"<title>{escape(label)}</title></line>"
        )
    parts.append(f'<polyline points="{c.points}" class="chart-line" fill="none"/>')
    for x, y, week, value in c.dots:
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="2.5" class="chart-dot"><title>Week of {week:%-d %b %Y}: {value}</title>'
            "</circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped labels only)
