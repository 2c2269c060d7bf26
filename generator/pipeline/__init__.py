"""The stages that turn a content folder into pages, one module each, in the order they run:
``load`` → ``layers`` (with ``removal``) → ``validate`` → ``link`` → ``plan`` (with ``pages``,
the page families) → ``render`` → ``emit``. A stage imports only the stages before it
(``make test`` checks it); :mod:`generator.build` runs them in order.

May import :mod:`generator.content`, :mod:`generator.project` and :mod:`generator.errors`.
"""
