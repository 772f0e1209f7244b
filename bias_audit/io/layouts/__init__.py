"""The shapes a recruitment extract comes in, each turned into the raw cell table.

- :mod:`~bias_audit.io.layouts.rows`: one row per application, with an outcome column
  and/or per-stage yes/no or date columns;
- :mod:`~bias_audit.io.layouts.counts`: counts already aggregated, long (a stage column and
  a count column), as final outcomes, or wide (one count column per stage);
- :mod:`~bias_audit.io.layouts.outcomes`: what the outcome texts of a column were read as,
  shared by the row layout and the count table of final outcomes.
"""
