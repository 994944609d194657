"""Leadership reports: HTML per plan jurisdiction (plotly, offline), index, A4 PDF export."""

from .build import build_reports
from .pdf import export_pdf

__all__ = ["build_reports", "export_pdf"]
