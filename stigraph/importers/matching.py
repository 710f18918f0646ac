"""Match imported organisations to the seed actors (CERN, EUREKA, CGIAR centres…).

An imported organisation that is a seed actor takes the seed's IRI, so its participations
join the curated facts about it. The rules, in order:

1. ``ror`` — both have the same ROR id;
2. ``name`` — the same normalised name (or the seed's acronym equals the imported name) and
   the same country;
3. ``short name`` / ``acronym`` — the imported short name equals the seed's name or acronym
   and the country is the same (CORDIS gives CERN's legal name in French, "ORGANISATION
   EUROPEENNE POUR LA RECHERCHE NUCLEAIRE", and its English name as the short name).

A seed without a headquarters country is matched on ROR id only: a name alone is too weak.
Intergovernmental organisations have no single country, so :meth:`SeedMatcher.match_igo`
matches them by name or acronym among the seed actors of intergovernmental kinds only.
Every match is reported with its rule.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from stigraph.resources import seeds_dir

__all__ = ["IGO_KINDS", "Match", "SeedActor", "SeedMatcher", "igo_name_key", "load_seed_actors",
           "normalise_name"]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_STOP = frozenset({"the", "of", "for", "and", "de", "la", "le", "des", "du", "et"})


def normalise_name(name: str) -> str:
    """Accent-free, lower-case words without punctuation or filler words.

    >>> normalise_name("The International Institute of Tropical Agriculture (IITA)")
    'international institute tropical agriculture iita'
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = _NON_ALNUM.sub(" ", ascii_text.lower()).split()
    return " ".join(w for w in words if w not in _STOP)


#: Trailing words that do not change which organisation a name denotes.
_TRAILING = frozenset({"network", "aisbl", "asbl", "ivzw", "vzw", "ev", "ngo"})


def _core(norm: str) -> str:
    """A normalised name without trailing legal-form words: ``eureka network`` -> ``eureka``."""
    words = norm.split()
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    return " ".join(words)


def _strip_parenthesis(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()


@dataclass(frozen=True)
class SeedActor:
    slug: str
    name: str
    acronym: str = ""
    country: str = ""
    ror: str = ""
    kind: str = ""


#: Seed actor kinds an intergovernmental organisation of another data set can be.
IGO_KINDS = frozenset({"IntergovernmentalOrganisation", "RegionalOrganisation", "UNEntity",
                       "Fund", "Partnership", "Forum"})


def igo_name_key(name: str) -> str:
    """A name as one string for comparing IGO names across spellings.

    British and American spellings and spaced or hyphenated words become one key:

    >>> igo_name_key("Organisation for Economic Co-operation and Development")
    'organizationeconomiccooperationdevelopment'
    >>> igo_name_key("Association of South East Asian Nations (ASEAN)")
    'associationsoutheastasiannations'
    """
    norm = normalise_name(_strip_parenthesis(name))
    return re.sub(r"is(ation|e|ed)\b", r"iz\1", norm).replace(" ", "")


@dataclass(frozen=True)
class Match:
    """An imported organisation found to be a seed actor."""

    source_id: str
    source_name: str
    country: str
    slug: str
    rule: str

    def as_row(self) -> dict[str, str]:
        return {"source_id": self.source_id, "source_name": self.source_name,
                "country": self.country, "seed_actor": self.slug, "rule": self.rule}


def load_seed_actors(seed_dirs: Iterable[Path] = (), *, include_default: bool = True
                     ) -> list[SeedActor]:
    """Seed actors from ``actors*.csv`` in the project's seeds and ``seed_dirs``."""
    dirs = ([seeds_dir()] if include_default else []) + [Path(d) for d in seed_dirs]
    actors: list[SeedActor] = []
    for folder in dirs:
        for path in sorted(folder.glob("actors*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    slug = (row.get("id") or "").strip()
                    if not slug:
                        continue
                    actors.append(SeedActor(
                        slug=slug,
                        name=(row.get("name") or "").strip(),
                        acronym=(row.get("acronym") or "").strip(),
                        country=(row.get("hq_country") or "").strip().upper(),
                        ror=_ror_key(row.get("ror") or _ror_in(row.get("source") or "")),
                        kind=(row.get("kind") or "").strip(),
                    ))
    return actors


def _ror_in(sources: str) -> str:
    """The first ROR id among a seed row's sources (``https://ror.org/01ggx4157``)."""
    found = re.search(r"https?://ror\.org/([0-9a-z]{9})", sources)
    return found.group(1) if found else ""


def _ror_key(value: str) -> str:
    return value.strip().rstrip("/").rsplit("/", 1)[-1].lower()


class SeedMatcher:
    """Looks imported organisations up among the seed actors; remembers what matched."""

    def __init__(self, actors: Iterable[SeedActor]) -> None:
        self.by_ror: dict[str, SeedActor] = {}
        self.by_name: dict[tuple[str, str], SeedActor] = {}
        self.by_acronym: dict[tuple[str, str], SeedActor] = {}
        self.all_actors = list(actors)
        for actor in self.all_actors:
            if actor.ror:
                self.by_ror.setdefault(actor.ror, actor)
            if not actor.country:
                continue
            for name in {actor.name, _strip_parenthesis(actor.name)}:
                if normalise_name(name):
                    self.by_name.setdefault((normalise_name(name), actor.country), actor)
            if actor.acronym and len(normalise_name(actor.acronym)) >= 3:
                key = (normalise_name(actor.acronym), actor.country)
                self.by_acronym.setdefault(key, actor)
        self.matches: dict[str, Match] = {}

    def __bool__(self) -> bool:
        return bool(self.by_ror or self.by_name or self.by_acronym)

    def match(self, source_id: str, name: str, country: str, *, short_name: str = "",
              ror: str = "") -> str | None:
        """The seed slug for an imported organisation, or ``None``."""
        if source_id in self.matches:
            return self.matches[source_id].slug
        found: tuple[SeedActor, str] | None = None
        if ror and _ror_key(ror) in self.by_ror:
            found = (self.by_ror[_ror_key(ror)], "ror")
        elif country:
            norm = normalise_name(name)
            if (norm, country) in self.by_name:
                found = (self.by_name[(norm, country)], "name")
            elif (norm, country) in self.by_acronym:
                found = (self.by_acronym[(norm, country)], "name = acronym")
            elif (_core(norm), country) in self.by_name:
                found = (self.by_name[(_core(norm), country)], "name without legal form")
            elif short_name and (normalise_name(short_name), country) in self.by_name:
                found = (self.by_name[(normalise_name(short_name), country)], "short name")
            elif short_name and (normalise_name(short_name), country) in self.by_acronym:
                found = (self.by_acronym[(normalise_name(short_name), country)], "acronym")
        if found is None:
            return None
        actor, rule = found
        self.matches[source_id] = Match(source_id, name, country, actor.slug, rule)
        return actor.slug

    def match_global(self, source_id: str, name: str, *, acronym: str = "") -> str | None:
        """Match an organisation whose country is not known (e.g. a GCF accredited entity).

        Only an exact normalised name, or the same acronym *and* a seed whose name starts
        with the same words, counts: without a country a name is all there is.
        """
        if source_id in self.matches:
            return self.matches[source_id].slug
        norm = normalise_name(_strip_parenthesis(name))
        found: tuple[SeedActor, str] | None = None
        for (seed_name, _country), actor in self.by_name.items():
            if seed_name == norm:
                found = (actor, "name")
                break
        if found is None:
            for actor in self.all_actors:
                if normalise_name(_strip_parenthesis(actor.name)) == norm and norm:
                    found = (actor, "name")
                    break
        if found is None and acronym and len(acronym) >= 3:
            for actor in self.all_actors:
                if actor.acronym and actor.acronym.lower() == acronym.lower():
                    found = (actor, "acronym")
                    break
        if found is None:
            return None
        actor, rule = found
        self.matches[source_id] = Match(source_id, name, "", actor.slug, rule)
        return actor.slug

    def match_igo(self, source_id: str, name: str, *, acronym: str = "") -> str | None:
        """Match an intergovernmental organisation (no headquarters country in the source).

        Only seed actors of an intergovernmental kind (:data:`IGO_KINDS`) are candidates.
        Rules, in order: ``name`` (the same :func:`igo_name_key`, a trailing parenthesis
        dropped on both sides); ``name in parentheses`` (a parenthesised alternative name of
        several words, e.g. "International Bank for Reconstruction and Development (World
        Bank)", is the seed's name); ``acronym`` (the source's acronym, three letters or
        more, is the seed's acronym).
        """
        if source_id in self.matches:
            return self.matches[source_id].slug
        candidates = [a for a in self.all_actors if a.kind in IGO_KINDS]
        key = igo_name_key(name)
        alternatives = {igo_name_key(p) for p in re.findall(r"\(([^()]*\s[^()]*)\)", name)}
        rules: list[tuple[str, Callable[[SeedActor], bool]]] = [
            ("name", lambda a: bool(key) and igo_name_key(a.name) == key),
            ("name in parentheses", lambda a: igo_name_key(a.name) in alternatives),
            ("acronym", lambda a: len(acronym) >= 3 and bool(a.acronym)
             and a.acronym.lower() == acronym.lower()),
        ]
        found = next(((actor, rule) for rule, test in rules for actor in candidates
                      if test(actor)), None)
        if found is None:
            return None
        actor, rule = found
        self.matches[source_id] = Match(source_id, name, "", actor.slug, rule)
        return actor.slug

    def report(self) -> list[dict[str, str]]:
        return [m.as_row() for m in sorted(self.matches.values(),
                                           key=lambda m: (m.slug, m.source_id))]
