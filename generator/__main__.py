"""``python -m generator`` runs the ``playbook`` command."""

from .cli import main

main(prog_name="playbook")
