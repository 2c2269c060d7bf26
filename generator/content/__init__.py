"""What content is, with no reading or writing of files: the content model (pydantic), the
registry of kinds and the key paths into them, references in prose, the words pages show for
the model's codes, and the Markdown subset and image rules content text must keep to.

May import :mod:`generator.errors` only; every other layer may import it.
"""
