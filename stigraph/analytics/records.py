"""Typed result records of the analytics, each with ``as_row()`` for output.

The CLI, the report and the RDF writer read these fields by name; ``as_row()`` gives the
output row (the columns of ``--format csv|json|table``, in this order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["AreaGap", "CentralityRow", "CoverageRow", "EvaluationRow", "ProgrammeGap",
           "Recommendation"]


@dataclass(frozen=True)
class Recommendation:
    """One recommended link of a source country to a target, with its scores and why.

    ``scores``: every method's score (:data:`stigraph.analytics.links.METHODS`), by name;
    ``shared``: labels of the shared neighbours, peers first; ``evidence``: paths
    ``source — shared — target``.
    """

    country: str
    country_label: str
    target_group: str
    rank: int
    target: Any
    target_code: str
    target_label: str
    target_kind: str
    method: str
    score: float
    scores: dict[str, float]
    shared: list[str]
    peers_shared: int
    new_areas: list[str]
    explanation: str
    evidence: list[str]
    source: Any

    def as_row(self) -> dict[str, Any]:
        return {"country": self.country, "country_label": self.country_label,
                "target_group": self.target_group, "rank": self.rank, "target": self.target,
                "target_code": self.target_code, "target_label": self.target_label,
                "target_kind": self.target_kind, "method": self.method, "score": self.score,
                **self.scores, "shared": list(self.shared), "peers_shared": self.peers_shared,
                "new_areas": list(self.new_areas), "explanation": self.explanation,
                "evidence": list(self.evidence), "source": self.source}


@dataclass(frozen=True)
class AreaGap:
    """A cooperation area where a country has no or weak links compared with its peers."""

    country: str
    label: str
    area: str
    area_label: str
    links: int
    peer_median: float
    peer_mean: float
    peers: int
    peer_group: str
    status: str
    gap: float

    def as_row(self) -> dict[str, Any]:
        return {"country": self.country, "label": self.label, "area": self.area,
                "area_label": self.area_label, "links": self.links,
                "peer_median": self.peer_median, "peer_mean": self.peer_mean,
                "peers": self.peers, "peer_group": self.peer_group, "status": self.status,
                "gap": self.gap}


@dataclass(frozen=True)
class ProgrammeGap:
    """An actor or programme open to a country (its peers take part) that it has not joined."""

    country: str
    target: Any
    target_label: str
    target_kind: str
    peer_members: int
    peers: str

    def as_row(self) -> dict[str, Any]:
        return {"country": self.country, "target": self.target,
                "target_label": self.target_label, "target_kind": self.target_kind,
                "peer_members": self.peer_members, "peers": self.peers}


@dataclass(frozen=True)
class EvaluationRow:
    """How one method (or baseline) ranked the held-out or later links in one test."""

    split: str
    method: str
    baseline: bool
    positives: int
    candidates: int
    auc_pr: float
    precision_at: dict[int, float] = field(default_factory=dict)
    beats_random: bool = False
    beats_popularity: bool = False

    def as_row(self) -> dict[str, Any]:
        return {"split": self.split, "method": self.method, "baseline": self.baseline,
                "positives": self.positives, "candidates": self.candidates,
                "auc_pr": self.auc_pr,
                **{f"precision_at_{k}": v for k, v in self.precision_at.items()},
                "beats_random": self.beats_random, "beats_popularity": self.beats_popularity}


@dataclass(frozen=True)
class CoverageRow:
    """A country's links in each cooperation area (``counts``: area slug -> links, every area
    of the graph in slug order) and how many areas it covers."""

    country: str
    label: str
    groups: str
    counts: dict[str, int]
    areas_covered: int

    def as_row(self) -> dict[str, Any]:
        return {"country": self.country, "label": self.label, "groups": self.groups,
                **self.counts, "areas_covered": self.areas_covered}


@dataclass(frozen=True)
class CentralityRow:
    """A node's centralities (``values``: measure -> value, in the order computed), its
    ``code``/``label``/``kind`` when the graph has them, its rank (1 = highest; ties share the
    smallest) and, within a group, its rank in the group."""

    node: Any
    values: dict[str, float]
    rank: int
    attributes: dict[str, str] = field(default_factory=dict)
    group_rank: int | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CentralityRow:
        """From a record of :func:`stigraph.analytics.centrality.rank`."""
        attributes: dict[str, str] = {k: row[k] for k in ("code", "label", "kind") if k in row}
        skip = {"node", "rank", "group_rank", *attributes}
        return cls(node=row["node"], values={k: v for k, v in row.items() if k not in skip},
                   rank=int(row["rank"]), attributes=attributes,
                   group_rank=row.get("group_rank"))

    def as_row(self) -> dict[str, Any]:
        row: dict[str, Any] = {"node": self.node, **self.attributes, **self.values,
                               "rank": self.rank}
        if self.group_rank is not None:
            row["group_rank"] = self.group_rank
        return row
