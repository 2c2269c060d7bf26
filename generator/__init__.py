"""Playbook generator: renders role profiles, handoff checklists and ways-of-working guides
from structured YAML into a MkDocs site.

Its subpackages are layers, each importing only those below it (``make test`` checks this):

- :mod:`.frontends`: the ``playbook`` command, the MkDocs plugin, the live preview;
- :mod:`.fork` and :mod:`.outputs`: a fork's scaffold and drift; exports, printable sheets,
  schemas, branding files;
- :mod:`.build`: the whole pipeline in one call (``check``, ``generate``);
- :mod:`.views`: what pages and exports share (checklists, skills, diagrams);
- :mod:`.pipeline`: the stages, ``load`` → ``layers`` → ``validate`` → ``link`` → ``plan`` →
  ``render`` → ``emit``;
- :mod:`.project`: where a project keeps its content, overlays and templates;
- :mod:`.content`: what content is (model, kinds, prose, words, markup rules);
- :mod:`.errors`: the problems and exceptions every layer reports.
"""

__version__ = "0.1.0"
