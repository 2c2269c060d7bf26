"""``python -m generator`` runs the ``playbook`` command."""

from .frontends.cli import main

main(prog_name="playbook")
