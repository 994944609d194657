"""The Jinja environment of every page: templates and styles from the top-level ``reports/``
folder (``pipelines/settings.py``), autoescaped, with the number formats as filters."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

from pipelines.paths import REPORT_STYLES_DIR, REPORT_TEMPLATES_DIR

from . import formats
from .labels import STATUS_COLOURS

PLOTLY_JS = "plotly.min.js"


def _css_string(text) -> Markup:
    # inside <style>: CSS-escaped, and marked safe so that HTML escaping does not add entities
    return Markup(formats.css_string(text))


@cache
def environment(templates: Path = REPORT_TEMPLATES_DIR, styles: Path = REPORT_STYLES_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(templates), str(styles)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=formats.fmt_num,
        count=formats.fmt_count,
        value=formats.fmt_value,
        pct=formats.fmt_pct,
        month=formats.fmt_month,
        day=formats.fmt_date,
        when=formats.fmt_datetime,
        css_string=_css_string,
    )
    env.globals.update(INSUFFICIENT=formats.INSUFFICIENT, STATUS_COLOURS=STATUS_COLOURS, plotly_js=PLOTLY_JS)
    return env


def template(name: str) -> Template:
    return environment().get_template(name)
