"""Every error code the code base can put in the envelope is in the registry (apps.core.error_codes).

The scan reads the source (no imports), so it sees every raise, including ones no test reaches: a code passed
to `ApplicationError`, `Conflict` or any subclass of theirs (keyword `code=`, or a subclass's `default_code`),
to `envelope(...)`, to a `{"code": ..., "message": ...}` response, and to the few helpers whose code ends up in
the envelope (table `POSITIONAL_CODES`). An f-string code (`f"media_{status}"`) must have its expansions listed:
the registry needs at least one code with its literal prefix, and a test below enumerates the real values.
"""
import ast
from pathlib import Path

from apps.core.error_codes import ERROR_CODES, error_code_schema
from apps.core.errors import _CODES
from apps.messaging.models import MessageMedia

ROOT = Path(__file__).resolve().parents[4]
SCANNED = [ROOT / "backend", ROOT / "tenants"]

ERROR_CLASSES = {"ApplicationError", "Conflict"}
# Functions, called by their bare name, whose positional argument (by index) becomes an envelope's code.
POSITIONAL_CODES = {
    "envelope": 0,  # apps.core.errors.envelope(code, message, errors)
    "_error": 1,  # tenants.ingress.webhook_api._error(status, code, message)
    "CsvProblem": 0,  # apps.contacts.csv_files.CsvProblem(code, message): becomes ApplicationError(code=exc.code)
}


def _sources():
    for folder in SCANNED:
        for path in sorted(folder.rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts)
            if "tests" in parts or "migrations" in parts or path.name.startswith("test_") or path.name == "conftest.py":
                continue
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _error_classes(trees) -> set[str]:
    """ApplicationError, Conflict and every class in the code base that derives from them (to any depth)."""
    bases = {}
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {_name(base) for base in node.bases}
    known = set(ERROR_CLASSES)
    while True:
        more = {name for name, parents in bases.items() if parents & known} - known
        if not more:
            return known
        known |= more


def _code_values(trees) -> list[tuple[str, int, ast.expr]]:
    """(file, line, expression) of every place a code is given."""
    classes = _error_classes(trees)
    found = []
    for path, tree in trees:
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _name(node.func)
                if name in classes:
                    found += [(where, k.lineno, k.value) for k in node.keywords if k.arg == "code"]
                index = POSITIONAL_CODES.get(name) if isinstance(node.func, ast.Name) else None
                if index is not None and len(node.args) > index:
                    found.append((where, node.lineno, node.args[index]))
            elif isinstance(node, ast.ClassDef) and node.name in classes:
                for statement in node.body:
                    if (isinstance(statement, ast.Assign)
                            and any(isinstance(t, ast.Name) and t.id == "default_code" for t in statement.targets)):
                        found.append((where, statement.lineno, statement.value))
            elif isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if {"code", "message"} <= keys:
                    value = next(v for k, v in zip(node.keys, node.values, strict=True)
                                 if isinstance(k, ast.Constant) and k.value == "code")
                    found.append((where, node.lineno, value))
    return found


TREES = list(_sources())
CODE_VALUES = _code_values(TREES)


def test_the_scan_finds_the_codes_it_is_meant_to_find():
    literals = {v.value for _, _, v in CODE_VALUES if isinstance(v, ast.Constant)}

    # One of each way in: ApplicationError(code=), Conflict(code=), a subclass's default_code, envelope(),
    # a response dict, the webhook helper and a CSV problem.
    assert {"window_closed", "last_owner", "too_many_streams", "events_service_busy", "unknown_host",
            "invalid_signature", "unsupported_encoding"} <= literals


def test_every_literal_code_in_the_code_base_is_registered():
    unregistered = [f"{where}:{line}: {value.value!r}" for where, line, value in CODE_VALUES
                    if isinstance(value, ast.Constant) and value.value not in ERROR_CODES]

    assert not unregistered, ("codes missing from apps/core/error_codes.py (add them with a one-line meaning):\n"
                              + "\n".join(unregistered))


def test_every_computed_code_has_its_expansions_registered():
    missing = []
    for where, line, value in CODE_VALUES:
        if isinstance(value, ast.JoinedStr):
            prefix = value.values[0].value if isinstance(value.values[0], ast.Constant) else ""
            if not prefix or not any(code.startswith(prefix) for code in ERROR_CODES):
                missing.append(f"{where}:{line}: {ast.unparse(value)}")

    assert not missing, "list the values these f-strings can take in apps/core/error_codes.py:\n" + "\n".join(missing)


def test_the_media_conflict_codes_are_registered():
    # MessageMediaApi answers 409 `media_{status}` for every status but "downloaded".
    statuses = [s for s in MessageMedia.Status.values if s != MessageMedia.Status.DOWNLOADED]

    assert {f"media_{status}" for status in statuses} <= set(ERROR_CODES)


def test_the_handlers_own_codes_are_registered():
    # DRF exceptions map to these by class (their own `code=` never reaches the envelope), plus the fallbacks.
    assert {*_CODES.values(), "error", "server_error"} <= set(ERROR_CODES)


def test_every_code_has_a_meaning():
    assert all(meaning.strip() for meaning in ERROR_CODES.values())
    assert all(code == code.lower() and " " not in code for code in ERROR_CODES)


def test_the_schema_gives_the_envelope_code_as_an_enum_of_the_registry(alpha):
    schemas = alpha.client(alpha.owner).get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"][
        "schemas"]

    assert schemas["ErrorEnvelope"]["properties"]["code"] == {"$ref": "#/components/schemas/ErrorCode"}
    assert schemas["ErrorCode"] == error_code_schema()
    assert schemas["ErrorCode"]["enum"] == sorted(ERROR_CODES)
