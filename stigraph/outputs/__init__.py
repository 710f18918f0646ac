"""What a person reads: tables (JSON, CSV, terminal), charts, network pages and the report."""
