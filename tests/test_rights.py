"""Decision rights and artefacts as data: each fact written once and shown wherever it
matters, and a role's profile that claims another role's activity is warned about."""

from __future__ import annotations

from generator.build import check, generate

from conftest import WriteTree

CARD = """id: card
title: Model card
summary: What the model is for and where it fails.
produced_by: scientist
reviewed_by: [owner]
retention: As long as the model runs.
sections:
  - id: use
    title: Intended use
    good: Names the decision it supports.
  - id: limits
    title: Known limitations
    good: Lists where the model is wrong, with an example.
"""
BUILD = """id: build
title: Build
summary: Build the model and ship it.
goal: A model in production.
activities:
  - id: train
    title: Train the model
    description: Train and evaluate.
    accountable: scientist
    informed: [owner]
    produces: [card]
  - id: ship
    title: Ship the model
    description: Release it.
    accountable: engineer
    responsible: [owner]
decisions:
  - id: card-approved
    text: The model card is approved. It goes with the model.
    by: owner
    activity: ship
    consulted: [scientist]
    rests_on: [card]
    approves: [card]
    escalates_to: release-approved
    on_no: The model stays in the registry and the card goes back to the scientist.
  - id: release-approved
    text: The release is approved.
    by: engineer
    activity: ship
"""


def _pages(write_tree: WriteTree, files: dict[str, str]) -> dict[str, str]:
    generated = generate(write_tree(files))
    return {rendered.page.path: rendered.markdown for rendered in generated.pages}


def test_a_decision_is_shown_in_full_once_and_linked_from_everywhere(
    write_tree: WriteTree,
) -> None:
    pages = _pages(write_tree, {"artefacts/card.yml": CARD, "phases/build.yml": BUILD})
    rights = pages["lifecycle/decisions.md"]
    assert (
        "### The model card is approved — decided by the product owner { #card-approved .pb-decision data-search-exclude }"
        in rights
    )
    assert "- **Consulted first:** [Data Scientist](../roles/scientist.md)" in rights
    assert "- **Escalates to:** [The release is approved](#release-approved), decided by" in rights
    assert '- **On "no":** The model stays in the registry' in rights
    owner = pages["roles/owner.md"]
    assert "[The model card is approved.](../lifecycle/decisions.md#card-approved) (Build)" in owner
    assert "- [Model card](../artefacts/card.md), produced by the" in owner  # it reviews it
    card = pages["artefacts/card.md"]
    assert "**Approved by** [Product Owner](../roles/owner.md)" in card
    assert "[Train the model](../lifecycle/build.md#train)" in card
    assert 'download="card.md"' in card and "(card.template.txt)" in card
    template = pages["artefacts/card.template.txt"]
    assert template.startswith("# Model card\n") and "## Known limitations" in template
    assert "---" not in template.splitlines()[0]  # a file to fill in, not a page


def test_a_profile_that_claims_another_role_s_activity_is_warned_about(
    write_tree: WriteTree,
) -> None:
    owner = (write_tree().content_dir / "roles" / "owner.yml").read_text(encoding="utf-8")
    owner = owner.replace("  - Set the goal.\n", "  - Set the goal. Trains the candidate model.\n")
    build = BUILD.replace("title: Train the model", "title: Train the candidate model")
    files = {"roles/owner.yml": owner, "phases/build.yml": build, "artefacts/card.yml": CARD}
    _, warnings = check(write_tree(files), mentions=True)
    claims = [str(w) for w in warnings if "claims" in w.message]
    assert claims == [
        "content/roles/owner.yml:7:5: warning: claims 'Train the candidate model', which the RACI "
        "gives to 'scientist' (accountable, content/phases/build.yml:9:18) (say what this role "
        "does in it as the RACI has it, or change the RACI)"
    ]


def test_an_exception_to_the_separation_of_duties_shows_wherever_the_decision_does(
    write_tree: WriteTree,
) -> None:
    build = BUILD.replace(
        "    by: owner\n    activity: ship\n",
        "    by: scientist\n    activity: train\n    exception:\n"
        "      reason: A team of two; a peer from another team reads the card.\n",
    ).replace("    consulted: [scientist]\n", "    consulted: [owner]\n")
    pages = _pages(write_tree, {"artefacts/card.yml": CARD, "phases/build.yml": build})
    reason = "A team of two; a peer from another team reads the card."
    assert reason in pages["lifecycle/decisions.md"]
    assert f"**Exception to the separation of duties:** {reason}" in pages["lifecycle/build.md"]
    assert "(Build), an exception to the separation of duties" in pages["roles/scientist.md"]
