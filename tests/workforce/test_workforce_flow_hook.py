"""The hook through which retention and progression join the workforce audit.

A small flow module (a real one: it counts, from the staff frame, the starters of the
period still in post) takes the place of bias_audit.report.workforce_flow; its count is
protected in the same publication as the indicators, and its section reaches the JSON.
"""

from __future__ import annotations

import types

import pandas as pd
import pytest

from bias_audit.report import suppression as sdc
from bias_audit.services import workforce as service
from bias_audit.synthetic_workforce import make_workforce_extract


def _flow_module() -> types.ModuleType:
    module = types.ModuleType("test_flow")

    def measure_flow(staff, **options):
        return staff

    def flow_dimensions(staff):
        frame = staff.frame
        started = frame["start_date"] > staff.extract_date - pd.DateOffset(years=1)
        return {"started_recently": started}

    def add_flow_counts(cells):
        atoms = cells.atoms
        for group in ("White", "BME"):
            mask = atoms["started_recently"].to_numpy() & (atoms["ethnicity_wres"] == group)
            cells.add_count(("retention", group), mask.to_numpy(), f"{group} starters")

    def flow_sections(staff, cells, count, *, suppression):
        return {
            "retention": {"starters": {g: count(("retention", g)) for g in ("White", "BME")}},
            "progression": {"value": None, "reason": "not in this test"},
        }

    module.measure_flow = measure_flow
    module.flow_dimensions = flow_dimensions
    module.add_flow_counts = add_flow_counts
    module.flow_sections = flow_sections
    return module


@pytest.fixture
def data():
    return make_workforce_extract(400, seed=5).to_csv(index=False).encode()


def test_flow_counts_join_the_one_publication(monkeypatch, data):
    monkeypatch.setattr(service, "flow", _flow_module())
    exact = service.audit_workforce(data, name="s.csv", suppression=False)
    published = service.audit_workforce(data, name="s.csv")
    starters = exact.retention["starters"]
    assert starters["White"] + starters["BME"] > 0
    assert ("retention", "White") in published.publication.labels
    for group, value in starters.items():
        label = published.retention["starters"][group]
        assert label == published.publication.labels[("retention", group)]
        expected = sdc.count_label(value)  # "≤7", 0 or the count rounded to 5
        assert label in (expected, sdc.SECONDARY_LABEL), (group, value, label)
    assert published.to_dict()["progression"]["reason"] == "not in this test"
