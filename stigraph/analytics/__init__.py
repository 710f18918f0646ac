"""Network analytics over projections of the stigraph graph.

One family of algorithms per module; the graph comes first, options are keyword-only, results
are sorted deterministically, and anything random takes ``seed=``. The entry points of
:mod:`~stigraph.analytics.api` take the :class:`~stigraph.projection.inputs.AnalysisInputs`
of the graph (built once per command) and return typed records
(:mod:`~stigraph.analytics.records`, each with ``as_row()`` for output):

- :mod:`~stigraph.analytics.centrality` — degree, strength, betweenness, closeness, eigenvector,
  PageRank (exact or sampled).
- :mod:`~stigraph.analytics.communities` — Louvain communities and modularity.
- :mod:`~stigraph.analytics.links` — missing-link indices, ensemble and recommendations (scoring);
  :mod:`~stigraph.analytics.explain` words them, :mod:`~stigraph.analytics.predicted_rdf` writes
  them as ``stig:PredictedLink`` RDF.
- :mod:`~stigraph.analytics.gaps` — country × cooperation-area coverage and partnership gaps.
- :mod:`~stigraph.analytics.evaluate` — hold-out and time-split evaluation against baselines.
"""
