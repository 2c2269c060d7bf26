"""What a pull request to a fork can do: change the playbook, and nothing else.

Each case changes the small fixture as a pull request could (content, an overlay, a template,
the logo, a link) and runs the public ``playbook`` command on it: the change is refused with
one ``path:...: error:`` line and exit code 1, or it shows in the playbook as inert text; it
never runs code, reads a file outside the project or ends in a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main


def playbook(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, [*args, "-f", str(root / "mkdocs.yml")])
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result


def one_error(result: Result) -> str:
    """The single error line of a failed command."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "body",
    [
        '{{ cycler.__init__.__globals__.os.system("touch marker") }}',
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ playbook.__class__.__init__.__globals__ }}",
        "{% set f = lipsum.__globals__ %}{{ f.os.system('touch marker') }}",
    ],
)
def test_a_template_cannot_reach_python(small_tree: Path, body: str) -> None:
    (small_tree / "templates").mkdir()
    (small_tree / "templates" / "home.md.j2").write_text(f"# Home\n\n{body}\n")
    result = playbook(small_tree, "generate", "--out", str(small_tree / "out"))
    line = one_error(result)
    assert line.startswith(f"{small_tree / 'templates' / 'home.md.j2'}:3: error: ")
    assert not (small_tree / "marker").exists()
    assert not Path("marker").exists()


def test_a_template_may_still_write_markup(small_tree: Path) -> None:
    (small_tree / "templates").mkdir()
    (small_tree / "templates" / "home.md.j2").write_text(
        '# {{ playbook.settings.title }}\n\n<div class="note">{{ playbook.roles | length }}</div>\n'
    )
    result = playbook(small_tree, "generate", "--out", str(small_tree / "out"))
    assert result.exit_code == 0, result.output
    home = (small_tree / "out" / "index.md").read_text()
    assert '<div class="note">3</div>' in home


def test_a_macro_that_calls_itself_forever_is_one_message(small_tree: Path) -> None:
    (small_tree / "templates").mkdir()
    (small_tree / "templates" / "home.md.j2").write_text(
        "# Home\n{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}\n{{ again(0) }}\n"
    )
    line = one_error(playbook(small_tree, "generate", "--out", str(small_tree / "out")))
    assert ".md.j2:2: error: calls itself too deeply" in line


def test_init_asks_a_maintainer_to_review_code(tmp_path: Path) -> None:
    import shutil

    from conftest import ROOT

    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--org", "Globex"])
    assert result.exit_code == 0, result.output
    for owners in (".github/CODEOWNERS", ".gitlab/CODEOWNERS"):
        text = (tmp_path / owners).read_text()
        for guarded in ("/templates/", "/company/templates/", "/mkdocs.yml", "/site_overrides/"):
            assert f"\n{guarded} " in text, (owners, guarded)
    assert "/.github/" in (tmp_path / ".github/CODEOWNERS").read_text()
    assert "/.gitlab-ci.yml" in (tmp_path / ".gitlab/CODEOWNERS").read_text()
