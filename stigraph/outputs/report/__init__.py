"""The analyst's report: one self-contained HTML page, network pages, charts and tables.

:func:`build_report` builds the graph, validates it, runs the analytics and writes everything
under one folder; see :mod:`stigraph.outputs.report.assemble` for the layout.
"""

from __future__ import annotations

from stigraph.outputs.report.assemble import HUBS, ReportResult, ReportSettings, build_report

__all__ = ["HUBS", "ReportResult", "ReportSettings", "build_report"]
