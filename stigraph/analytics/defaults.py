"""The evaluation and sampling defaults, one set for the CLI and the report.

``stigraph evaluate`` (and every analytics command's ``--seed``) and ``stigraph report`` read
these, so the report's figures are the ones the CLI gives with no options, and the report
states them.
"""

from __future__ import annotations

__all__ = ["CUTOFF_SHARE", "HOLDOUT_FRACTION", "SEED"]

#: Seed of every random choice: hold-out sampling, Louvain, baselines, layouts.
SEED = 42
#: Share of the country–organisation links the hold-out test removes.
HOLDOUT_FRACTION = 0.1
#: The time split's default cutoff leaves about this share of dated memberships after it.
CUTOFF_SHARE = 0.25
