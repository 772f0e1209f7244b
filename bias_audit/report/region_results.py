"""What a region comparison holds (:func:`bias_audit.services.region.audit_region` fills
it; the text, JSON, HTML, charts and app read it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bias_audit.io.organisations import Organisation
from bias_audit.stats.funnel_plot import FunnelPlot
from bias_audit.stats.trend import Trend


@dataclass(frozen=True)
class RegionMetric:
    """A relative likelihood compared across organisations (reference ÷ focal)."""

    key: str
    name: str
    view: str
    reference: str
    focal: str
    direction: str
    kind: str  # "national" (WRES 2 / WDES 2 definition) or "step"
    start: int | None
    end: int | None


@dataclass
class RegionAudit:
    """Everything the region reports show. Counts are as published (labels) when
    ``suppression`` is on; every statistic comes from them."""

    sources: tuple[str, ...]
    organisation_column: str | None
    year_column: str | None
    suppression: bool
    organisations: dict[str, Organisation]
    metrics: tuple[RegionMetric, ...]
    funnels: dict[str, FunnelPlot | None]
    funnel_reasons: dict[str, str]
    pooled: dict[str, dict[str, Any]]
    trends: dict[str, Trend | None]
    trend_reasons: dict[str, str]
    counts: dict[tuple[str, tuple[str, str], str], Any]
    hidden_reasons: dict[tuple[str, tuple[str, str], str], str]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    years: tuple[str, ...] = ()
    unprotected: tuple[Any, ...] = ()

    def outside(self, key: str, level: str = "99.8") -> tuple[str, ...]:
        plot = self.funnels.get(key)
        if plot is None:
            return ()
        return plot.outside_998 if level == "99.8" else plot.outside_95

    def to_dict(self) -> dict[str, Any]:
        from bias_audit.report.region_text import region_dict

        return region_dict(self)
