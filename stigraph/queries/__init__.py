"""Named queries: the catalogue of query files, parameter typing (once, for every backend),
and running them on the embedded store."""
