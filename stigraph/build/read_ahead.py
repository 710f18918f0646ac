"""Read ahead: what the first report reads from a newly kept graph, computed by the cache
worker from the build's copy in memory and kept beside the graph (:mod:`stigraph.store.memo`)
before the graph is handed over.

The first run on a fresh machine builds the default graph into a store on disk and then reads
it for the report. Oxigraph reads a store on disk several times slower than one in memory:
writing the Turtle file took 27 s of CPU from the store on disk and takes 3 s from memory, the
SHACL validation 31 s and 18 s. So the worker that builds the kept graph also loads every
triple into a store in memory (its twin, :func:`stigraph.build.builder.build_graph`), and
once the build is done computes from it, while the store on disk is compacted, the Turtle
file, the validation and the values the projections read first (facts, statements, labels,
countries, the CORDIS consortia: 24 s in the report), writes them where the kept graph's
values are kept, and exits, giving that memory back. The report that follows finds them
there, as every later run does (a kept graph's values do not depend on how they were first
computed: same triples, same code).

The values are only read ahead when the twin holds exactly the kept graph's triples (the same
count) and no blank node: blank nodes get new labels in each store they are loaded into, and
the values name nodes. Otherwise nothing is written and the report computes them as before.
The results of a triple pattern come in another order from a store in memory; the values are
the same facts, and every later run reads these.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rdflib.term import Node

from stigraph.store import Store
from stigraph.store.memo import forget, remember_in
from stigraph.store.persistent import viewed_as_kept
from stigraph.vocab.namespaces import PREFIXES

__all__ = ["read_ahead"]

log = logging.getLogger(__name__)


def read_ahead(twin: Store, kept: Store, folder: Path, *,
               origins: dict[Node, str] | None = None) -> bool:
    """Compute from ``twin`` (a store in memory with the triples of ``kept``) the values
    the report reads first, into ``folder`` (the kept graph's values); ``origins``: the seed
    rows of the nodes, as the validation names them. ``False`` (and nothing written) when
    ``twin`` does not hold the same triples or holds blank nodes."""
    from stigraph.projection.inputs import AnalysisInputs
    from stigraph.projection.reads import reads_of
    from stigraph.store.files import keep_turtle
    from stigraph.validate.shacl import kept_validation

    view = viewed_as_kept(twin)
    graph = view.graph
    for prefix, namespace in PREFIXES.items():  # as the kept graph is opened
        graph.bind(prefix, namespace, override=True)
    # Oxigraph counts, scans and writes without Python's lock: those in threads, while this
    # thread reads the facts in Python. The values are written before the checks are done
    # (they take seconds) and removed if they fail: nothing reads the folder before the
    # kept graph is handed over.
    remember_in(graph, folder)
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="stigraph-ahead") as pool:
        expected = pool.submit(len, kept)
        blank = pool.submit(view.select, _BLANK, {}, {})
        count = pool.submit(len, view)  # and kept, as the kept graph's count
        turtle = pool.submit(keep_turtle, graph)
        validation = pool.submit(kept_validation, graph, origins)
        inputs = AnalysisInputs(graph, as_of=dt.date.today().isoformat())
        _ = inputs.facts, reads_of(graph).statements, inputs.direct_rows, inputs.ended
        _ = inputs.consortia
        _ = inputs.infos, inputs.organisation_areas, inputs.area_labels
        inputs.node_attributes(inputs.countries)  # the labels and country codes
        turtle.result()
        validation.result()
    if count.result() != expected.result() or blank.result()[1]:
        forget(graph)
        shutil.rmtree(folder, ignore_errors=True)
        if count.result() != expected.result():
            log.warning("not reading ahead: the copy in memory has %d triples, the kept "
                        "graph %d", count.result(), expected.result())
        return False
    return True


#: Any triple with a blank node.
_BLANK = "SELECT ?s WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } LIMIT 1"
