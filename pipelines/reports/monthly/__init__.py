"""The monthly situation analysis (月度安全生产形势分析, docs/spec/monthly.md): one HTML per jurisdiction
and month, opening with sentences generated from marts.fct_monthly_situation."""

from .build import build_monthly_analyses, latest_month, parse_month

__all__ = ["build_monthly_analyses", "latest_month", "parse_month"]
