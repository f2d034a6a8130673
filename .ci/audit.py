#!/usr/bin/env python3
"""`make audit`: known vulnerabilities in what we ship, Python and npm. Exit 1 when one must be fixed.

- Python: pip-audit over the installed environment (`pip freeze --exclude-editable`: every installed package but
  our own). pip-audit's PyPI service reports no severities, so *every* known vulnerability fails unless
  allow-listed (set AUDIT_PIP_SERVICE=osv to ask OSV instead; same rule).
- npm: `npm audit --omit=dev` in frontend/ (what the production server runs); high and critical fail unless
  allow-listed; moderate and low are printed only.
- Allow-list: .ci/audit-allowlist.toml, each entry with the advisory id, the package and why it is accepted.
- An advisory service that can't be reached (some networks proxy the registries without their audit APIs)
  is a warning: nothing could be checked, which is not the same as "vulnerable". AUDIT_STRICT=1 makes it fail.
"""
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ALLOWLIST = REPO / ".ci" / "audit-allowlist.toml"
FAILING_NPM_SEVERITIES = {"high", "critical"}


def load_allowlist(path: Path = ALLOWLIST) -> dict[str, set[str]]:
    data = tomllib.loads(path.read_text()) if path.exists() else {}
    allowed = {"python": set(), "npm": set()}
    for ecosystem in allowed:
        for entry in data.get(ecosystem, []):
            if not str(entry.get("reason", "")).strip() or not entry.get("id") or not entry.get("package"):
                raise SystemExit(f"audit: every {ecosystem} allow-list entry needs id, package and reason: {entry}")
            allowed[ecosystem].add(str(entry["id"]))
    return allowed


def python_findings(report: dict, allowed: set[str]) -> tuple[list[str], list[str], int]:
    """(failures, accepted, packages not audited) from pip-audit's JSON report."""
    failures, accepted, skipped = [], [], 0
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped += 1
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            fixed = ", ".join(vuln.get("fix_versions", [])) or "?"
            line = f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})"
            (accepted if ids & allowed else failures).append(line)
    return failures, accepted, skipped


def npm_findings(report: dict, allowed: set[str]) -> tuple[list[str], list[str], list[str]]:
    """(failures, accepted, others printed only) from `npm audit --json`."""
    failures, accepted, others = [], [], []
    for name, vuln in report.get("vulnerabilities", {}).items():
        for via in vuln.get("via", []):
            if not isinstance(via, dict):
                continue  # a transitive pointer to another package's entry; that entry is reported itself
            ids = {str(via.get("source", "")), str(via.get("url", "")), str(via.get("url", "")).rsplit("/", 1)[-1]}
            line = f"{name}: {via.get('severity')} {via.get('url') or via.get('source')} {via.get('title', '')}"
            if via.get("severity") not in FAILING_NPM_SEVERITIES:
                others.append(line)
            else:
                (accepted if ids & allowed else failures).append(line)
    return failures, accepted, others


def run_pip_audit() -> dict | None:
    freeze = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True,
                            text=True, check=True).stdout
    pins = "\n".join(line for line in freeze.splitlines() if line and not line.startswith(("-e", "#")))
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as requirements:
        requirements.write(pins + "\n")
        requirements.flush()
        done = subprocess.run(
            [sys.executable, "-m", "pip_audit", "-r", requirements.name, "--no-deps", "--disable-pip",
             "--progress-spinner", "off", "--format", "json",
             "--vulnerability-service", os.environ.get("AUDIT_PIP_SERVICE", "pypi")],
            capture_output=True, text=True)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        print(f"audit: pip-audit failed: {done.stderr.strip()[-500:]}", file=sys.stderr)
        return None


def run_npm_audit() -> dict | None:
    if not (REPO / "frontend" / "package-lock.json").exists():
        return {}
    done = subprocess.run(["npm", "audit", "--omit=dev", "--json"], cwd=REPO / "frontend", capture_output=True,
                          text=True, env={**os.environ, "npm_config_audit": "true"})
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        report = {}
    if "vulnerabilities" not in report:
        print(f"audit: npm audit failed: {(report.get('message') or done.stderr.strip())[-300:]}", file=sys.stderr)
        return None
    return report


def main() -> int:
    allowed = load_allowlist()
    strict = os.environ.get("AUDIT_STRICT", "") not in ("", "0", "false")
    failures, unaudited = [], []

    report = run_pip_audit()
    if report is None:
        unaudited.append("python: pip-audit did not run")
    else:
        bad, ok, skipped = python_findings(report, allowed["python"])
        failures += [f"python {line}" for line in bad]
        for line in ok:
            print(f"audit: allow-listed: python {line}")
        total = len(report.get("dependencies", []))
        if skipped:
            unaudited.append(f"python: {skipped} of {total} packages could not be audited (advisory service "
                             "unreachable or package unknown to it)")
        print(f"audit: python: {total - skipped} packages audited, {len(bad)} to fix")

    npm = run_npm_audit()
    if npm is None:
        unaudited.append("npm: the registry's audit endpoint did not answer")
    elif npm:
        bad, ok, others = npm_findings(npm, allowed["npm"])
        failures += [f"npm {line}" for line in bad]
        for line in ok:
            print(f"audit: allow-listed: npm {line}")
        for line in others:
            print(f"audit: below high, not failing: npm {line}")
        print(f"audit: npm: {len(bad)} high/critical to fix")

    for line in unaudited:
        print(f"audit: WARNING: {line}", file=sys.stderr)
    for line in failures:
        print(f"audit: FAIL: {line}", file=sys.stderr)
    if failures:
        print("audit: upgrade the package, or allow-list the advisory in .ci/audit-allowlist.toml with a reason",
              file=sys.stderr)
        return 1
    if unaudited and strict:
        print("audit: AUDIT_STRICT is set and something could not be audited", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
