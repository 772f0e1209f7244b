"""A job description's title and staff group (jd_fields.yml and its examples)."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from bias_audit.portfolio.fields import MAX_TITLE_CHARS, find_staff_group, find_title

DATA = yaml.safe_load(
    resources.files("bias_audit").joinpath("data/jd_fields.yml").read_text("utf-8")
)


@pytest.mark.parametrize("example", DATA["examples"], ids=lambda e: e["title"])
def test_the_data_files_own_examples(example):
    assert find_title(example["text"]) == example["title"]
    assert find_staff_group(example["text"]) == example["staff_group"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("JOB DESCRIPTION\n\nJob Title: Nursing Assistant\nBand: 2\n", "Nursing Assistant"),
        (
            "Job Description & Person Specification\nPost Title | Theatre Support Worker\n",
            "Theatre Support Worker",
        ),
        (
            "# Maternity Support Worker (Band 3)\nAbout the role\n",
            "Maternity Support Worker (Band 3)",
        ),
        ("Role profile\n\n  • Ward Clerk\n", "Ward Clerk"),
        ("Job description\n" + "x" * (MAX_TITLE_CHARS + 1) + "\n", None),
    ],
)
def test_titles(text, title):
    assert find_title(text) == title


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Staff Group | Additional Clinical Services\n", "Additional Clinical Services"),
        ("Staff group: ADMINISTRATIVE AND CLERICAL\n", "Administrative and Clerical"),
        ("Professional group: Nursing support\n", "Nursing support"),
        ("Healthcare Scientists\n", "Healthcare Scientists"),
        ("You will work with nurses and Allied Health Professionals every day.\n", None),
        ("Band 2 Healthcare Support Worker\n", None),
    ],
)
def test_staff_groups(text, group):
    assert find_staff_group(text) == group
