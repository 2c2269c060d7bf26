"""Playbook generator: renders role profiles, handoff checklists and ways-of-working guides
from structured YAML into a MkDocs site.

The pipeline reads top to bottom: ``load`` → ``validate`` → ``link`` → ``plan`` → ``render``
→ ``emit``. ``plugin`` adapts it to MkDocs; ``cli`` is the ``playbook`` command.
"""

__version__ = "0.1.0"
