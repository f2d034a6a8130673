"""Meta's limits reach the frontend from limits.py itself (export_limits.py; `make check-api` runs its --check)."""
import re

from apps.whatsapp.builders import export_limits, limits


def _exported(text: str) -> dict[str, int]:
    return {name: int(value) for name, value in re.findall(r"^  ([A-Z][A-Z0-9_]*): (\d+),$", text, re.MULTILINE)}


def test_every_limit_is_exported_with_its_value():
    constants = {name: value for name, value in vars(limits).items() if name.isupper() and isinstance(value, int)}

    assert _exported(export_limits.render()) == constants


def test_a_limit_keeps_its_comment_and_groups_keep_their_heading():
    text = export_limits.render()

    assert "  /** across all sections */\n  LIST_ROWS_MAX: 10," in text
    assert "  // interactive\n  INTERACTIVE_BODY:" in text


def test_check_fails_on_a_stale_file_and_passes_on_a_fresh_one(tmp_path, capsys):
    out = tmp_path / "limits.gen.ts"
    out.write_text(export_limits.render().replace("TEXT_BODY: 4096", "TEXT_BODY: 4000"), encoding="utf-8")

    assert export_limits.main(["--check", str(out)]) == 1
    assert export_limits.main([str(out)]) == 0
    assert export_limits.main(["--check", str(out)]) == 0
    assert "stale" in capsys.readouterr().err
