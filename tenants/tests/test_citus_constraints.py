"""What Citus schema-based sharding will need, enforced today on one PostgreSQL (docs/scaling-citus.md).

Each business schema becomes a distributed schema (one shard group, on one worker); the public schema's tables stay
on the coordinator, and those a business's table points at become reference tables (copied to every node). Citus
then refuses two things we would otherwise only discover on migration day:

- a foreign key from a distributed schema to anything but its own schema or a reference table, and any foreign
  key into a distributed schema from another schema (Citus' `EnsureFKeysForTenantTable`);
- a statement that reads two businesses' schemas (their shards live on different nodes).

So: the foreign keys in the migrated test database keep to those rules, with the public tables they reach on a short
allow-list of reference-table candidates; no module builds SQL that names a schema; and the SQL of a set of real
requests on a business's host touches only that business's schema and public. Each checker also gets a violation it
must report (the negative controls), so a checker that silently finds nothing fails.
"""
import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django_tenants.utils import schema_context

REPO = Path(__file__).resolve().parents[2]

# Public tables a business's tables may point at: they become Citus reference tables, copied to every node, so each
# write to them is a write on every node. Only small, rarely written tables belong here (docs/scaling-citus.md, "What
# stays, what moves"). None today: business tables name people (tenants_user) without a constraint
# (apps.core.fields.user_reference), since each constraint put triggers on the one users table per business.
REFERENCE_TABLE_CANDIDATES: set[str] = set()

# Modules whose SQL names schemas on purpose, and why that is not a request-time join (docs/scaling-citus.md).
CROSS_SCHEMA_SQL_ALLOWED = {
    # migrate_schemas' catalog read: one UNION ALL over up to 500 schemas' django_migrations to find those behind.
    # On Citus each leg is a single-shard query (recursively planned), still correct; the plan replaces it with a
    # read per node. Never on a request path.
    ("tenants/migrate_executor.py", "schemas_behind"),
}

SYSTEM_SCHEMAS = re.compile(r"^(pg_.*|information_schema)$")


# --- foreign keys ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ForeignKey:
    name: str
    schema: str
    table: str
    target_schema: str
    target_table: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.table} -> {self.target_schema}.{self.target_table} ({self.name})"


def foreign_keys() -> list[ForeignKey]:
    """Every foreign key in the database, from the catalog (what migrations actually created)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT con.conname, src_ns.nspname, src.relname, dst_ns.nspname, dst.relname
              FROM pg_constraint con
              JOIN pg_class src ON src.oid = con.conrelid
              JOIN pg_namespace src_ns ON src_ns.oid = src.relnamespace
              JOIN pg_class dst ON dst.oid = con.confrelid
              JOIN pg_namespace dst_ns ON dst_ns.oid = dst.relnamespace
             WHERE con.contype = 'f'""")
        return [ForeignKey(*row) for row in cursor.fetchall()]


def is_business_schema(schema: str) -> bool:
    """Every schema but public and PostgreSQL's own: businesses (t_*), the warm pool (pool_*), archived ones."""
    return schema != "public" and not SYSTEM_SCHEMAS.match(schema)


def citus_foreign_key_problems(keys: list[ForeignKey], reference_candidates: set[str]) -> list[str]:
    """The foreign keys Citus would refuse once business schemas are distributed and the candidates are reference
    tables; empty when all is well."""
    problems = []
    for key in keys:
        if is_business_schema(key.schema):
            if key.target_schema == key.schema:
                continue
            if key.target_schema == "public":
                if key.target_table not in reference_candidates:
                    problems.append(f"{key}: a public table that is no reference-table candidate")
            else:
                problems.append(f"{key}: another business's schema")
        elif is_business_schema(key.target_schema):
            problems.append(f"{key}: a shared table pointing into a business's schema")
    return problems


@pytest.mark.django_db
def test_business_tables_point_only_into_their_own_schema_or_at_reference_table_candidates():
    """Today: only into their own schema (there are no candidates)."""
    keys = foreign_keys()
    business_keys = [key for key in keys if is_business_schema(key.schema)]
    assert len({key.schema for key in business_keys}) >= 2, "alpha and beta (and the pool) are migrated"

    assert citus_foreign_key_problems(keys, REFERENCE_TABLE_CANDIDATES) == []
    # The list is what is used, no more: a candidate nothing points at should leave it (and stay a local table).
    used = {key.target_table for key in business_keys if key.target_schema == "public"}
    assert used == REFERENCE_TABLE_CANDIDATES


@pytest.mark.django_db
def test_businesses_add_no_triggers_to_the_shared_users_table(alpha, beta):
    """A foreign key into public.tenants_user from each business schema added two triggers per column to it: 66,770 at
    4,200 businesses, and then every login's UPDATE of last_login took 1.5-2 s (apps.core.fields.user_reference).
    Its triggers must not grow with the number of businesses: none may come from a business's constraint."""
    from_businesses = """
        SELECT count(*) FROM pg_trigger t
          JOIN pg_constraint con ON con.oid = t.tgconstraint
          JOIN pg_class src ON src.oid = con.conrelid
          JOIN pg_namespace ns ON ns.oid = src.relnamespace
         WHERE t.tgrelid = 'public.tenants_user'::regclass AND ns.nspname <> 'public'"""
    with connection.cursor() as cursor:
        cursor.execute(from_businesses)
        assert cursor.fetchone()[0] == 0
        # The negative control: one constraint from a business's table adds its two (rolled back with the test).
        cursor.execute(f'CREATE TABLE "{alpha.tenant.schema_name}".citus_probe_person '
                       "(user_id bigint REFERENCES public.tenants_user (id))")
        cursor.execute(from_businesses)
        assert cursor.fetchone()[0] == 2


@pytest.mark.django_db
def test_a_foreign_key_to_a_busy_public_table_or_another_business_is_reported(alpha, beta):
    """The negative control: real constraints, created inside the test's transaction (rolled back), are found."""
    alpha_schema, beta_schema = alpha.tenant.schema_name, beta.tenant.schema_name
    with connection.cursor() as cursor:
        # The webhook inbox takes every Meta delivery: never a reference table.
        cursor.execute(f'CREATE TABLE "{alpha_schema}".citus_probe_inbox '
                       f'(event_id bigint REFERENCES public.tenants_webhookevent (id))')
        cursor.execute(f'CREATE TABLE "{alpha_schema}".citus_probe_contact '
                       f'(contact_id bigint REFERENCES "{beta_schema}".contacts_contact (id))')
        cursor.execute(f'CREATE TABLE public.citus_probe_shared '
                       f'(contact_id bigint REFERENCES "{alpha_schema}".contacts_contact (id))')

    problems = citus_foreign_key_problems(foreign_keys(), REFERENCE_TABLE_CANDIDATES)

    assert len(problems) == 3, problems
    assert any("citus_probe_inbox -> public.tenants_webhookevent" in p and "candidate" in p for p in problems)
    assert any(f"citus_probe_contact -> {beta_schema}.contacts_contact" in p for p in problems)
    assert any("public.citus_probe_shared" in p and "into a business" in p for p in problems)


# --- SQL in the code ------------------------------------------------------------------------------------------------

SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|INTO|TABLE|TRUNCATE|COPY|search_path)\b")
# A business schema named in the text: t_<slug>, pool_<hex>, archived_<slug>_<time>, quoted or not, qualifying a name.
NAMED_SCHEMA = re.compile(r'(?<![\w.])"?(t|pool|archived)_[a-z0-9_]+"?\s*\.\s*"?[A-Za-z_]')
# A value formatted in as a table's qualifier: {…}.table, "{…}".table, %s.table, {}.table ({…}.column is a table's
# alias qualifying a column: fine).
FORMATTED_QUALIFIER = re.compile(r'(\x00|%s|\{\w*\})"?\s*\.\s*"?(?P<name>[A-Za-z_]\w*)')
FORMATTED_SEARCH_PATH = re.compile(r"search_path.*(\x00|%s|\{\w*\})", re.S)


@dataclass(frozen=True)
class SqlFinding:
    path: str
    function: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.function}(): {self.text[:120]!r}"


def _template(node: ast.AST) -> str | None:
    """A string literal's text; an f-string's with each formatted value as \\x00."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "\x00" for part in node.values)
    return None


def table_names() -> set[str]:
    """Every table the models (shared and tenant) and the migration recorder create."""
    return {model._meta.db_table for model in apps.get_models(include_auto_created=True)} | {"django_migrations"}


def _names_a_schema(text: str, tables: set[str]) -> bool:
    if not SQL_WORDS.search(text):
        return False
    return bool(NAMED_SCHEMA.search(text) or FORMATTED_SEARCH_PATH.search(text)
                or any(match["name"] in tables for match in FORMATTED_QUALIFIER.finditer(text)))


def cross_schema_sql(path: str, source: str, tables: set[str]) -> list[SqlFinding]:
    """SQL in one module that names a schema: a business schema written out, a value formatted in as a table's
    qualifier (the way a loop over schemas builds one statement for all of them), a formatted search_path, or a
    psycopg Identifier of two parts. Docstrings are prose; module-level code is reported as function "<module>"."""
    tree = ast.parse(source)
    findings = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        text = _template(node)
        parent = getattr(node, "_parent", None)
        if text is not None and not isinstance(parent, ast.JoinedStr | ast.Expr) and _names_a_schema(text, tables):
            findings.append(SqlFinding(path, function, node.lineno, text.replace("\x00", "{…}")))
        if (isinstance(node, ast.Call) and len(node.args) >= 2
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "Identifier"):
            findings.append(SqlFinding(path, function, node.lineno, "sql.Identifier(schema, name)"))
        for child in ast.iter_child_nodes(node):
            child._parent = node  # the parts of an f-string are checked as the whole f-string
            visit(child, function)

    visit(tree, "<module>")
    return findings


def project_modules() -> list[Path]:
    """The code that runs in production: the backend apps and the control plane, without their tests."""
    modules = [*(REPO / "backend").rglob("*.py"), *(REPO / "tenants").rglob("*.py")]
    return sorted(p for p in modules if "tests" not in p.relative_to(REPO).parts)


def test_no_module_builds_sql_that_names_a_business_schema():
    findings, tables = [], table_names()
    for module in project_modules():
        findings += cross_schema_sql(str(module.relative_to(REPO)), module.read_text(), tables)

    unexpected = [f for f in findings if (f.path, f.function) not in CROSS_SCHEMA_SQL_ALLOWED]
    assert unexpected == [], "\n".join(map(str, unexpected))
    # Each exception still exists: one that went away leaves the list.
    assert {(f.path, f.function) for f in findings} == CROSS_SCHEMA_SQL_ALLOWED


CRAFTED_MODULE = '''
from django.db import connection
from django_tenants.utils import schema_context

def contacts_everywhere(schemas):
    union = " UNION ALL ".join(f'SELECT id FROM "{schema}".contacts_contact' for schema in schemas)
    with connection.cursor() as cursor:
        cursor.execute(union)

def two_businesses():
    return "SELECT * FROM t_alpha.contacts_contact JOIN t_beta.contacts_contact USING (id)"

def by_percent(schema):
    return "SELECT count(*) FROM %s.messaging_message" % schema

def wide_search_path(a, b):
    return f"SET search_path TO {a}, {b}"

def identifier(schema):
    return sql.SQL("SELECT 1 FROM {}").format(sql.Identifier(schema, "contacts_contact"))

def one_business_at_a_time(tenants):
    for tenant in tenants:  # a statement per schema: fine on Citus
        with schema_context(tenant.schema_name), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM contacts_contact")

def pool(name):
    return f"CREATE SCHEMA {name}"  # DDL on one schema, not a query across two
'''


def test_the_sql_scan_reports_each_way_of_naming_another_schema():
    findings = cross_schema_sql("crafted.py", CRAFTED_MODULE, table_names())

    assert sorted({f.function for f in findings}) == ["by_percent", "contacts_everywhere", "identifier",
                                                      "two_businesses", "wide_search_path"]


# --- SQL of real requests -------------------------------------------------------------------------------------------

class StatementLog:
    """Every statement run on the connection, with the schema django-tenants had set when it ran."""

    def __init__(self):
        self.statements: list[tuple[str, str]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((context["connection"].schema_name, sql))
        return execute(sql, params, many, context)


def all_schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall() if not SYSTEM_SCHEMAS.match(row[0])}


def foreign_schema_statements(statements: list[tuple[str, str]], business_schema: str,
                              schemas: set[str]) -> list[str]:
    """Statements run with another business's schema active, or naming a schema other than this business's and
    public."""
    others = schemas - {business_schema, "public"}
    named = re.compile(r'(?<![\w.])"?(' + "|".join(map(re.escape, sorted(others))) + r')"?\s*\.') if others else None
    problems = []
    for active, sql in statements:
        if active not in (business_schema, "public"):
            problems.append(f"run in {active}: {sql[:200]}")
        elif named is not None and named.search(sql):
            problems.append(f"names {named.search(sql).group(1)}: {sql[:200]}")
    return problems


REQUESTS = [
    ("get", "/api/auth/user/", None),
    ("post", "/api/contacts/", {"phone": "+14155550100", "name": "Ada"}),
    ("get", "/api/contacts/", None),
    ("get", "/api/contacts/count/", None),
    ("post", "/api/canned-replies/", {"shortcut": "hours", "title": "Hours", "body": "9 to 6."}),
    ("get", "/api/canned-replies/", None),
    ("get", "/api/conversations/", None),
    ("patch", "/api/inbox/settings/", {"timezone": "Europe/Paris"}),
    ("get", "/api/templates/", None),
    ("get", "/api/campaigns/", None),
    ("get", "/api/analytics/overview/", None),
    ("get", "/api/team/members/", None),
    ("get", "/api/audit/events/", None),
    ("get", "/api/developer/api-keys/", None),
    ("get", "/api/billing/", None),
]


@pytest.mark.django_db
def test_a_business_requests_touch_only_its_schema_and_public(alpha, beta):
    client = alpha.client(alpha.owner)
    log = StatementLog()

    with connection.execute_wrapper(log):
        statuses = {path: getattr(client, method)(path, body, format="json").status_code
                    for method, path, body in REQUESTS}

    assert all(status in (200, 201) for status in statuses.values()), statuses
    assert len(log.statements) > len(REQUESTS)
    assert beta.tenant.schema_name in all_schemas()  # there is another business to stray into
    assert foreign_schema_statements(log.statements, alpha.tenant.schema_name, all_schemas()) == []


@pytest.mark.django_db
def test_a_statement_reaching_into_another_business_is_reported(alpha, beta):
    """The negative control: a real cross-schema statement, captured the same way, is found; and so is a statement
    run while another business's schema is active."""
    log = StatementLog()
    with connection.execute_wrapper(log):
        with schema_context(alpha.tenant.schema_name), connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM contacts_contact JOIN "{beta.tenant.schema_name}".contacts_contact '
                           f'AS theirs ON theirs.id = contacts_contact.id')
        with schema_context(beta.tenant.schema_name), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM contacts_contact")

    problems = foreign_schema_statements(log.statements, alpha.tenant.schema_name, all_schemas())

    beta_schema = beta.tenant.schema_name
    # The join that names beta; then, with beta's schema active, django-tenants' SET search_path and the count.
    assert [p.split(":")[0] for p in problems] == [f"names {beta_schema}", f"run in {beta_schema}",
                                                   f"run in {beta_schema}"], problems
    assert "JOIN" in problems[0] and "search_path" in problems[1] and "contacts_contact" in problems[2]
