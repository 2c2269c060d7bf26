"""Synthetic playbook content of any size, for the benchmark.

``write_content(n, folder)`` writes a complete, valid content tree for ``n`` roles into
``folder``: a ``playbook.yml`` with four phases, ``n`` roles spread over the three categories,
four phase files whose activities name the roles, about 1.4·n handoffs, about n/3 guides with
checklists, n/10 team shapes and a glossary of about n/2 terms. Every role is named by at least
one handoff, so ``playbook validate`` reports no warning. Field sizes follow the bundled
playbook (``content/``): a role has about eight responsibilities, ten onboarding items, five
tips and so on. The output depends only on ``n`` and the seed.

Run it on its own to look at the result::

    .venv/bin/python bench/synthetic.py 100 /tmp/content-100
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as Dumper
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]

__all__ = ["SEED", "Counts", "write_content"]

SEED = 20240611
PHASES = ("design", "development", "deployment", "operations")
CATEGORIES = ("business", "technical", "supporting")
CATEGORY_SHARE = (0.3, 0.5, 0.2)  # of the roles, as in the bundled playbook (4 / 7 / 3)
WHEN = ("first-day", "first-week", "first-month")
RACI = ("R", "A", "C", "I")
SOURCES = (
    ("team-notes", "Team notes", "Example Co"),
    ("delivery-handbook", "Delivery handbook", "Example Co, Engineering"),
    ("operations-review", "Operations review", "Example Co, Platform"),
    ("hiring-guide", "Hiring guide", "Example Co, People"),
    ("data-charter", "Data charter", "Example Co, Data Office"),
)

JOBS = {
    "business": (
        "Product Manager",
        "Business Analyst",
        "Business Stakeholder",
        "Subject Matter Expert",
        "Programme Lead",
        "Product Owner",
    ),
    "technical": (
        "Data Scientist",
        "ML Engineer",
        "Data Engineer",
        "Platform Engineer",
        "Software Engineer",
        "DevOps Engineer",
        "Research Scientist",
        "Analytics Engineer",
    ),
    "supporting": (
        "UX Designer",
        "Report Writer",
        "Data Analyst",
        "Governance Lead",
        "Technical Writer",
        "Security Reviewer",
    ),
}
DOMAINS = (
    "Fraud", "Pricing", "Search", "Ranking", "Forecasting", "Vision", "Speech", "Risk",
    "Credit", "Marketing", "Supply", "Clinical", "Payments", "Feature", "Streaming", "Labelling",
    "Recommendation", "Experimentation", "Churn", "Logistics", "Claims", "Inventory", "Routing",
    "Translation", "Moderation", "Billing", "Identity", "Sensor", "Energy", "Retail",
)  # fmt: skip
NOUNS = (
    "model", "pipeline", "feature", "dataset", "metric", "baseline", "release", "registry",
    "dashboard", "alert", "runbook", "schema", "contract", "threshold", "experiment", "notebook",
    "package", "endpoint", "report", "backlog", "milestone", "review", "incident", "label",
    "sample", "forecast", "budget", "service", "store", "query", "lineage", "version",
    "checklist", "decision", "requirement", "interface", "container", "cluster", "policy",
    "audit",
)  # fmt: skip
ADJECTIVES = (
    "reproducible", "versioned", "agreed", "tested", "documented", "monitored", "shared",
    "automated", "reviewed", "signed-off", "cleaned", "labelled", "pinned", "stable", "live",
    "offline", "online", "weekly", "written", "measurable",
)  # fmt: skip
VERBS = (
    "checks", "records", "agrees", "ships", "reviews", "explains", "measures", "tests",
    "publishes", "tracks", "owns", "prepares", "validates", "hands over", "monitors", "updates",
)  # fmt: skip
LINKERS = ("before", "after", "with", "for", "against", "alongside", "without", "through")
SUBJECTS = ("The team", "Each owner", "The receiving role", "Someone on call", "The sponsor")


@dataclass(frozen=True)
class Counts:
    """How much content one synthetic tree holds."""

    roles: int
    handoffs: int
    guides: int
    teams: int
    terms: int
    activities: int
    checklist_items: int


@dataclass(frozen=True)
class _Role:
    id: str
    title: str
    category: str


class _Writer:
    """Deterministic text and structure for one tree; every choice comes from one RNG."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    # -- text ---------------------------------------------------------------------------

    def clause(self) -> str:
        r = self.rng
        noun, other = r.choice(NOUNS), r.choice(NOUNS)
        mark = r.random()
        if mark < 0.05:
            other = f"`{other}`"
        elif mark < 0.1:
            other = f"**{other}**"
        return f"{r.choice(VERBS)} the {r.choice(ADJECTIVES)} {noun} {r.choice(LINKERS)} {other}"

    def sentence(self, clauses: int = 2) -> str:
        parts = [self.clause() for _ in range(clauses)]
        return f"{self.rng.choice(SUBJECTS)} {', then '.join(parts)}."

    def text(self, chars: int) -> str:
        """Sentences until the text is about ``chars`` characters long."""
        out: list[str] = []
        length = 0
        while length < chars * 0.9:
            left = chars - length
            if left < 70 and out:
                break
            if left < 70:  # a short noun phrase, as in skills or "cares about"
                out.append(f"{self.phrase()} {self.rng.choice(LINKERS)} {self.rng.choice(NOUNS)}")
            else:
                out.append(self.sentence(min(3, self.rng.randint(1, left // 60))))
            length += len(out[-1]) + 1
        return " ".join(out)

    def texts(self, count: int, chars: int) -> list[str]:
        return [self.text(chars) for _ in range(count)]

    def phrase(self) -> str:
        return f"{self.rng.choice(ADJECTIVES)} {self.rng.choice(NOUNS)}".capitalize()

    def items(self, count: int, chars: int, when: Sequence[str] = ()) -> list[dict[str, Any]]:
        """Checklist items with unique ids; ``when`` gives each item's timing, in order."""
        items = []
        for index in range(count):
            item: dict[str, Any] = {"id": f"item-{index + 1}-{slug(self.phrase())}"}
            item["text"] = self.text(chars)
            if index < len(when):
                item["when"] = when[index]
            if self.rng.random() < 0.2:
                item["details"] = self.text(60)
            items.append(item)
        return items

    def sources(self, low: int, high: int) -> list[str]:
        return sorted(self.rng.sample([s[0] for s in SOURCES], self.rng.randint(low, high)))

    def others(self, roles: Sequence[_Role], count: int, but: str = "") -> list[str]:
        pool = [r.id for r in self.rng.sample(list(roles), min(len(roles), count + 1))]
        return [r for r in pool if r != but][:count]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def write_content(n: int, folder: Path, seed: int = SEED) -> Counts:
    """Write a content tree for ``n`` roles into ``folder`` (emptied first)."""
    if n < 2:
        raise ValueError("a playbook needs at least two roles (a handoff joins two)")
    if folder.exists():
        shutil.rmtree(folder)
    for sub in ("roles", "phases", "handoffs", "guides", "teams"):
        (folder / sub).mkdir(parents=True)
    w = _Writer(seed)
    roles = _roles(n, w)
    items = 0

    _dump(folder / "playbook.yml", "playbook", _playbook(n, w))
    for role in roles:
        data = _role(role, roles, w)
        items += len(data["onboarding"])
        _dump(folder / "roles" / f"{role.id}.yml", "role", data)

    activities = 0
    for phase_id in PHASES:
        data = _phase(phase_id, roles, w)
        activities += len(data["activities"])
        _dump(folder / "phases" / f"{phase_id}.yml", "phase", data)

    handoffs = _handoffs(roles, w)
    for handoff in handoffs:
        items += len(handoff["done"])
        _dump(folder / "handoffs" / f"{handoff['id']}.yml", "handoff", handoff)

    guides = max(1, round(n / 3))
    for index in range(guides):
        guide = _guide(index, roles, w)
        items += sum(len(c["items"]) for c in guide["checklists"])
        _dump(folder / "guides" / f"{guide['id']}.yml", "guide", guide)

    teams = max(1, n // 10)
    for index in range(teams):
        team = _team(index, roles, w)
        _dump(folder / "teams" / f"{team['id']}.yml", "team", team)

    terms = _glossary(max(2, n // 2), roles, w)
    _dump(folder / "glossary.yml", "glossary", {"terms": terms})
    return Counts(n, len(handoffs), guides, teams, len(terms), activities, items)


def _dump(path: Path, schema: str, data: dict[str, Any]) -> None:
    depth = "../" if path.name in ("playbook.yml", "glossary.yml") else "../../"
    header = f"# yaml-language-server: $schema={depth}schemas/{schema}.schema.json\n"
    body = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + body, encoding="utf-8")


def _roles(n: int, w: _Writer) -> list[_Role]:
    """``n`` roles with unique titles, split over the categories by ``CATEGORY_SHARE``."""
    sizes = [round(n * share) for share in CATEGORY_SHARE[:2]]
    sizes.append(n - sum(sizes))
    roles: list[_Role] = []
    seen: set[str] = set()
    for category, size in zip(CATEGORIES, sizes, strict=True):
        for index in range(size):
            jobs = JOBS[category]
            base = f"{DOMAINS[(index // len(jobs)) % len(DOMAINS)]} {jobs[index % len(jobs)]}"
            title, k = base, 2
            while slug(title) in seen:
                title, k = f"{base} {k}", k + 1
            seen.add(slug(title))
            roles.append(_Role(slug(title), title, category))
    w.rng.shuffle(roles)
    return roles


def _playbook(n: int, w: _Writer) -> dict[str, Any]:
    return {
        "title": f"Synthetic Playbook ({n} roles)",
        "organization": "Example Co",
        "description": f"A generated playbook with {n} roles, for benchmarking the generator.",
        "home": {"intro": w.text(400), "reading_guide": w.texts(4, 80)},
        "phases": list(PHASES),
        "sources": [
            {
                "id": sid,
                "title": title,
                "publisher": publisher,
                "url": f"https://example.org/{sid}",
                "note": w.text(120),
            }
            for sid, title, publisher in SOURCES
        ],
    }


def _role(role: _Role, roles: Sequence[_Role], w: _Writer) -> dict[str, Any]:
    r = w.rng
    involved = sorted(r.sample(range(len(PHASES)), r.randint(3, 4)))
    onboarding_when = ["first-day"] * 3 + ["first-week"] * 4 + ["first-month"] * 3
    return {
        "id": role.id,
        "title": role.title,
        "aliases": [f"{role.title.split()[0]} {w.phrase()}" for _ in range(r.randint(1, 3))],
        "category": role.category,
        "summary": w.text(590),
        "responsibilities": w.texts(8, 130),
        "skills": w.texts(6, 50),
        "cares_about": w.texts(4, 55),
        "overlooks": w.texts(3, 130),
        "phases": {PHASES[i]: {"raci": r.choice(RACI), "does": w.text(110)} for i in involved},
        "works_with": [
            {"role": other, "why": w.text(110)} for other in w.others(roles, 5, role.id)
        ],
        "tips": w.texts(5, 130),
        "onboarding": w.items(10, 150, onboarding_when),
        "sources": w.sources(2, 4),
    }


def _phase(phase_id: str, roles: Sequence[_Role], w: _Writer) -> dict[str, Any]:
    # The bundled playbook has about two activities per role over the four phases.
    count = max(3, round(len(roles) / 2))
    activities = []
    for index in range(count):
        names = w.others(roles, 6)
        size = len(names)
        activities.append(
            {
                "id": f"{phase_id}-{index + 1}-{slug(w.phrase())}",
                "title": w.phrase(),
                "description": w.text(260),
                "accountable": names[0],
                "responsible": names[1 : min(3, size)],
                "consulted": names[min(3, size) : min(5, size)],
                "informed": names[min(5, size) :],
            }
        )
    return {
        "id": phase_id,
        "title": phase_id.capitalize(),
        "summary": w.text(700),
        "goal": w.text(160),
        "entry_criteria": w.texts(5, 140),
        "exit_criteria": w.texts(6, 160),
        "activities": activities,
        "artefacts": [{"name": w.phrase(), "description": w.text(120)} for _ in range(6)],
        "sources": w.sources(2, 3),
    }


def _handoffs(roles: Sequence[_Role], w: _Writer) -> list[dict[str, Any]]:
    """About 1.4 handoffs per role; the first pass names every role at least once."""
    r = w.rng
    pairs: list[tuple[_Role, _Role]] = []
    for role in roles:
        other = r.choice(roles)
        while other.id == role.id:
            other = r.choice(roles)
        pairs.append((role, other) if r.random() < 0.5 else (other, role))
    for _ in range(round(0.4 * len(roles))):
        giver, taker = r.sample(list(roles), 2)
        pairs.append((giver, taker))
    handoffs = []
    seen: set[str] = set()
    for giver, taker in pairs:
        artefact = w.phrase()
        base = f"{slug(artefact)}-to-{taker.id}"[:72].strip("-")
        handoff_id, k = base, 2
        while handoff_id in seen:
            handoff_id, k = f"{base}-{k}", k + 1
        seen.add(handoff_id)
        handoffs.append(
            {
                "id": handoff_id,
                "title": f"{artefact} for the {taker.title}",
                "from": giver.id,
                "to": taker.id,
                "phase": r.choice(PHASES),
                "summary": w.text(360),
                "artefacts": [{"name": w.phrase(), "description": w.text(110)} for _ in range(3)],
                "done": w.items(6, 100),
                "pitfalls": w.texts(2, 110),
                "sources": w.sources(1, 3),
            }
        )
    return handoffs


def _guide(index: int, roles: Sequence[_Role], w: _Writer) -> dict[str, Any]:
    r = w.rng
    title = f"Working on the {w.phrase().lower()}"
    sections = []
    for number in range(r.randint(4, 6)):
        bullets = "\n".join(f"- {w.text(60)}" for _ in range(r.randint(0, 4)))
        body = "\n\n".join(p for p in (w.text(450), bullets, w.text(450)) if p)
        sections.append({"id": f"section-{number + 1}", "title": w.phrase(), "body": body})
    checklists = []
    for number in range(r.randint(1, 2)):
        count = r.randint(5, 8)
        when = [r.choice(WHEN) for _ in range(count)] if r.random() < 0.5 else []
        checklists.append(
            {
                "id": f"checklist-{number + 1}",
                "title": w.phrase(),
                "items": w.items(count, 90, when),
            }
        )
    return {
        "id": f"guide-{index + 1:04d}-{slug(title)}",
        "title": title,
        "summary": w.text(300),
        "audience": w.others(roles, r.randint(6, 14)),
        "sections": sections,
        "checklists": checklists,
        "sources": w.sources(1, 3),
    }


def _team(index: int, roles: Sequence[_Role], w: _Writer) -> dict[str, Any]:
    r = w.rng
    people = []
    for _ in range(r.randint(4, 14)):
        seat: dict[str, Any] = {"title": w.phrase(), "covers": w.others(roles, r.randint(1, 3))}
        if r.random() < 0.7:
            seat["note"] = w.text(150)
        people.append(seat)
    return {
        "id": f"team-{index + 1:03d}",
        "title": f"Team shape {index + 1}",
        "summary": w.text(300),
        "size": f"{len(people)} to {len(people) + 4} people",
        "people": people,
        "advice": w.texts(5, 160),
        "sources": w.sources(1, 3),
    }


def _glossary(count: int, roles: Sequence[_Role], w: _Writer) -> list[dict[str, Any]]:
    r = w.rng
    terms: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(terms) < count:
        term = f"{r.choice(DOMAINS)} {r.choice(NOUNS)}"
        if len(seen) > 0.8 * len(DOMAINS) * len(NOUNS):
            term = f"{term} {len(terms)}"
        if slug(term) in seen:
            continue
        seen.add(slug(term))
        entry: dict[str, Any] = {"id": slug(term), "term": term, "definition": w.text(230)}
        if r.random() < 0.4:
            entry["aliases"] = [w.phrase()]
        entry["related_roles"] = w.others(roles, r.randint(0, 4))
        terms.append(entry)
    return terms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roles", type=int, help="number of roles")
    parser.add_argument("folder", type=Path, help="content folder to write (emptied first)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    counts = write_content(args.roles, args.folder, args.seed)
    print(f"{args.folder}: {counts}")


if __name__ == "__main__":
    main()
