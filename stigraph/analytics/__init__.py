"""Network analytics over projections of the stigraph graph.

One family of algorithms per module; the graph comes first, options are keyword-only, results
are lists of plain records (dicts of str / int / Python float), sorted deterministically, and
anything random takes ``seed=``:

- :mod:`~stigraph.analytics.groups` — country groups (LDC, LLDC, SIDS, income group as of a year,
  region) read from the RDF graph.
- :mod:`~stigraph.analytics.centrality` — degree, strength, betweenness, closeness, eigenvector,
  PageRank (exact or sampled).
- :mod:`~stigraph.analytics.communities` — Louvain communities and modularity.
- :mod:`~stigraph.analytics.links` — missing-link indices, ensemble and explained recommendations.
- :mod:`~stigraph.analytics.gaps` — country × cooperation-area coverage and partnership gaps.
- :mod:`~stigraph.analytics.evaluate` — hold-out and time-split evaluation against baselines.
"""
