"""Item 10: `make audit` (.ci/audit.py) fails on any known Python vulnerability and on high/critical npm ones,
unless allow-listed with a reason."""
import importlib.util

import pytest

from convonest.tests.conftest import REPO

spec = importlib.util.spec_from_file_location("ci_audit", REPO / ".ci" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

PIP_REPORT = {"dependencies": [
    {"name": "django", "version": "5.2.0", "vulns": [
        {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fix_versions": ["5.2.1"], "description": "x"}]},
    {"name": "celery", "version": "5.7.0", "vulns": [
        {"id": "GHSA-aaaa-bbbb-cccc", "aliases": [], "fix_versions": [], "description": "y"}]},
    {"name": "unknown-pkg", "version": "1.0", "skip_reason": "Dependency not found on PyPI"},
]}
NPM_REPORT = {"vulnerabilities": {
    "next": {"severity": "critical", "via": [{"source": 1, "url": "https://github.com/advisories/GHSA-next-crit-0001",
                                              "severity": "critical", "title": "SSRF"}]},
    "axios": {"severity": "moderate", "via": [{"source": 2, "url": "https://github.com/advisories/GHSA-axio-mod-0002",
                                               "severity": "moderate", "title": "ReDoS"}]},
    "postcss": {"severity": "high", "via": ["next"]},
}}


def test_any_known_python_vulnerability_fails_unless_allow_listed_by_id_or_alias():
    failures, accepted, skipped = audit.python_findings(PIP_REPORT, {"CVE-2099-1"})

    assert [f.split(":")[0] for f in failures] == ["celery 5.7.0"]
    assert [a.split(":")[0] for a in accepted] == ["django 5.2.0"]
    assert skipped == 1


def test_npm_high_and_critical_fail_and_lower_severities_are_only_printed():
    failures, accepted, others = audit.npm_findings(NPM_REPORT, set())
    allowed, _, _ = audit.npm_findings(NPM_REPORT, {"GHSA-next-crit-0001"})

    assert [f.split(":")[0] for f in failures] == ["next"]
    assert [o.split(":")[0] for o in others] == ["axios"]
    assert allowed == []


def test_an_allow_list_entry_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "allow.toml"
    path.write_text('[[python]]\nid = "PYSEC-1"\npackage = "x"\nreason = ""\nnpm = []\n')

    with pytest.raises(SystemExit, match="reason"):
        audit.load_allowlist(path)
    assert audit.load_allowlist(REPO / ".ci" / "audit-allowlist.toml") == {"python": set(), "npm": set()}
