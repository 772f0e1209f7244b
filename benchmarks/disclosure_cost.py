"""What disclosure control costs in accuracy on the example extract.

Audits ``example_data/recruitment_extract.csv`` twice — published (suppression on: counts
rounded to 5, "≤7", partners hidden as "*", every statistic worked out from the shown
counts) and analyst (exact) — and prints the figures docs/recruitment.md quotes in "What it
costs in accuracy":

- how many comparisons (rows with a relative likelihood, reference groups aside) are
  computable from the exact counts, and how many of them the published report shows;
- how many table rows are hidden, how many only as partners ("kept back so that …"), how
  many in the headline views (WRES White / BME, gender, disability);
- how far the shown relative likelihoods are from the exact ones (median, 90th percentile,
  maximum; and in the headline views);
- WRES indicator 2 and WDES metric 2, published against exact;
- how many significance verdicts and adverse-band flags change;
- how long the published audit takes.

Usage::

    PYTHONPATH=. .venv/bin/python benchmarks/disclosure_cost.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np

from bias_audit.report.suppression import is_hidden
from bias_audit.services import audit_extract

EXAMPLE = Path(__file__).resolve().parent.parent / "example_data" / "recruitment_extract.csv"
HEADLINE_VIEWS = ("ethnicity_wres", "gender", "disability")
KEY = ["attribute", "from", "to", "group"]


def _rows(audit):
    frame = audit.transitions
    return {tuple(r[k] for k in KEY): r for r in frame.to_dict("records")}


def _compared(row) -> bool:
    return row["group"] != row["reference"] and row["reference"] is not None


def main() -> None:
    started = time.perf_counter()
    published = audit_extract(EXAMPLE, suppression=True)
    seconds = time.perf_counter() - started
    exact = audit_extract(EXAMPLE, suppression=False)
    shown, truth = _rows(published), _rows(exact)

    computable = [k for k, r in truth.items() if _compared(r) and r["relative_likelihood"]]
    visible = [k for k in computable if shown[k]["relative_likelihood"] is not None]
    hidden = [k for k, r in shown.items() if is_hidden(r["entered"]) or is_hidden(r["progressed"])]
    partners = [k for k in hidden if "kept back" in str(shown[k]["not_computable"])]
    hidden_headline = [k for k in hidden if k[0] in HEADLINE_VIEWS]
    white_bme = [k for k in hidden_headline if k[0] == "ethnicity_wres" and k[3] != "Not stated"]
    print(f"rows: {len(shown)}; hidden: {len(hidden)} ({len(partners)} as partners)")
    print(
        f"hidden in the headline views: {len(hidden_headline)} (White / BME rows: {len(white_bme)})"
    )
    print(f"comparisons computable from exact counts: {len(computable)}; shown: {len(visible)}")

    def gaps(keys):
        return [
            abs(shown[k]["relative_likelihood"] - truth[k]["relative_likelihood"]) for k in keys
        ]

    every = gaps(visible)
    worst = max(visible, key=lambda k: gaps([k])[0])
    headline = gaps([k for k in visible if k[0] in HEADLINE_VIEWS])
    print(
        "relative likelihood, shown vs exact: median {:.2f}, 90th percentile {:.2f}, "
        "max {:.2f} ({:.0%} of {:.2f}; {} {}, {} entered exactly)".format(
            statistics.median(every),
            float(np.percentile(every, 90)),
            max(every),
            max(every) / truth[worst]["relative_likelihood"],
            truth[worst]["relative_likelihood"],
            worst[0],
            worst[3],
            truth[worst]["entered"],
        )
    )
    print(f"headline views: median {statistics.median(headline):.2f}, max {max(headline):.2f}")
    verdicts = [k for k in visible if shown[k]["significance"] != truth[k]["significance"]]
    flags = [k for k in visible if bool(shown[k]["outside_band"]) != bool(truth[k]["outside_band"])]
    print(f"significance verdicts changed: {len(verdicts)} of {len(visible)}")
    for k in verdicts:
        print(f"  {k}: {truth[k]['significance']} -> {shown[k]['significance']}")
    print(f"adverse-band flags changed: {len(flags)}")
    for name in ("wres_indicator_2", "wdes_metric_2"):
        pub, ex = getattr(published, name), getattr(exact, name)
        focal = ex["focal"]
        print(
            f"{pub['name']}: published {pub['value']:.2f} (95% CI {pub['ci_low']:.2f} to "
            f"{pub['ci_high']:.2f}, p {pub['p_value']}), exact {ex['value']:.2f} (95% CI "
            f"{ex['ci_low']:.2f} to {ex['ci_high']:.2f}, p {ex['p_value']:.3f}); {focal}: "
            f"{pub[focal]['appointed']} of {pub[focal]['shortlisted']} shown, "
            f"{ex[focal]['appointed']} of {ex[focal]['shortlisted']} exact"
        )
    print(f"published audit: {seconds:.1f} s")


if __name__ == "__main__":
    main()
