"""An organisation's fork of the playbook: ``init`` writes its overlay folder, workflows and
guide (:mod:`.scaffold`, with the files in ``scaffold_files/``), and ``drift`` shows what
upstream changed in the entities the overlay changes (:mod:`.drift`).

May import :mod:`generator.build` and everything below it; no front end.
"""
