"""The Kubernetes manifests (deploy/k8s, docs/runbook.md), checked offline: every resource against the API schemas
of real Kubernetes versions (kubernetes-validate bundles them), then our own rules: probes, resources and a
non-root, read-only, capability-free container everywhere; one backend image for web, events, workers, beat and
the migration Job; beat a singleton; a worker pool for every Celery queue; HPAs, PDBs, Services and Ingresses
pointing at things that exist; the Ingress routing what infra/nginx routes; the ConfigMap plus the Secret's
documented keys making a production configuration Django accepts, with no secret in the ConfigMap.

`make k8s-validate` runs this file alone; `make test` runs it with the backend suite."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from convonest.checks import PUBLIC_VALUES
from convonest.tests.conftest import REPO, production_env, real_secrets, run_python

K8S = REPO / "deploy" / "k8s"
# The oldest Kubernetes still commonly run by managed clusters, and the newest schemas kubernetes-validate has.
VERSIONS = ("1.31.0", kubernetes_validate.utils.latest_version())
BACKEND_IMAGE, FRONTEND_IMAGE = "convonest-backend", "convonest-frontend"
NOT_KUBERNETES = {"Kustomization"}
# Read by gunicorn/uvicorn themselves, not by Django (so not in .env.example's Django sections).
SERVER_VARIABLES = {"FORWARDED_ALLOW_IPS"}


def _documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _all_files() -> list[Path]:
    """The base, the migration Job and the examples (overlays are checked rendered, below)."""
    return sorted(path for path in K8S.rglob("*.yaml") if "overlays" not in path.parts)


def _resources() -> list[dict]:
    return [doc for path in _all_files() for doc in _documents(path) if doc["kind"] not in NOT_KUBERNETES]


def _of_kind(kind: str) -> list[dict]:
    return [doc for doc in _resources() if doc["kind"] == kind]


def _named(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in _of_kind(kind)}


def _pod_specs() -> dict[str, dict]:
    """Deployments' and Jobs' pod specs by workload name."""
    workloads = _of_kind("Deployment") + _of_kind("Job")
    return {doc["metadata"]["name"]: doc["spec"]["template"]["spec"] for doc in workloads}


def _selects(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def _deployments_selected_by(selector: dict) -> list[str]:
    return [name for name, doc in _named("Deployment").items()
            if _selects(selector, doc["spec"]["template"]["metadata"]["labels"])]


def _config() -> dict[str, str]:
    (config_map,) = _of_kind("ConfigMap")
    return config_map["data"]


def _secret_keys() -> dict[str, str]:
    values = {}
    for line in (K8S / "secrets.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value
    return values


def _kustomization(path: Path) -> dict:
    return yaml.safe_load((path / "kustomization.yaml").read_text())


# --- schemas ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
def test_every_manifest_is_a_valid_kubernetes_resource(version):
    resources = _resources()
    assert len(resources) >= 20
    for doc in resources:
        try:
            kubernetes_validate.validate(doc, version, strict=True)  # strict: unknown fields are errors too
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(part) for part in exc.path)
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} is invalid for Kubernetes {version}: {path}: "
                        f"{exc.message}")


def test_the_kustomizations_list_every_manifest_and_name_one_backend_image():
    app, migrate = _kustomization(K8S / "base"), _kustomization(K8S / "migrate")
    for folder, kustomization in ((K8S / "base", app), (K8S / "migrate", migrate)):
        listed = set(kustomization["resources"])
        present = {path.name for path in folder.glob("*.yaml")} - {"kustomization.yaml"}
        assert listed == present, f"{folder}: listed {sorted(listed)}, present {sorted(present)}"
        assert kustomization["namespace"] == "convonest"
    images = {image["name"]: image for image in app["images"]}
    assert set(images) == {BACKEND_IMAGE, FRONTEND_IMAGE}
    # The migration Job must run the very image the Deployments roll out; so must an overlay's.
    assert migrate["images"] == [images[BACKEND_IMAGE]]
    for overlay in (K8S / "overlays").iterdir():
        backend = [i for i in _kustomization(overlay)["images"] if i["name"] == BACKEND_IMAGE]
        assert _kustomization(overlay / "migrate")["images"] == backend, overlay
    assert {doc["metadata"].get("namespace") for doc in _resources() if doc["kind"] != "Namespace"} == {"convonest"}


def _render(folder: Path) -> list[dict]:
    done = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def _images(docs: list[dict]) -> dict[str, set[str]]:
    return {doc["metadata"]["name"]: {c["image"] for c in doc["spec"]["template"]["spec"]["containers"]}
            for doc in docs if doc["kind"] in {"Deployment", "Job"}}


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl (with its built-in kustomize) is not installed")
@pytest.mark.parametrize("app", ["base", "overlays/example"])
def test_kustomize_renders_the_deployment_and_its_migration_job_with_one_backend_image(app):
    folder = K8S / app
    docs = _render(folder)
    migration = _images(_render(K8S / "migrate" if app == "base" else folder / "migrate"))
    images = _images(docs)
    frontend = images.pop("convonest-frontend")
    backend = set().union(*images.values(), *migration.values())
    assert len(backend) == 1 and len(frontend) == 1, (backend, frontend)
    (backend_image,) = backend
    assert backend_image.split(":")[0].endswith("backend") and ":" in backend_image
    assert {"convonest-web", "convonest-events", "convonest-beat"} <= set(images)
    for resource in docs:
        kubernetes_validate.validate(resource, VERSIONS[-1], strict=True)
    (config,) = [d["data"] for d in docs if d["kind"] == "ConfigMap"]
    for ingress in (d for d in docs if d["kind"] == "Ingress"):
        hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
        assert hosts == {config["BASE_DOMAIN"], "*." + config["BASE_DOMAIN"]}, app  # the overlay changed both
        assert hosts == set(ingress["spec"]["tls"][0]["hosts"])


# --- workloads ----------------------------------------------------------------------------------------------------

def test_every_container_has_probes_resources_and_runs_non_root_read_only_without_capabilities():
    services = _of_kind("Service")
    for name, spec in _pod_specs().items():
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] > 0, name
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False, name
        is_job = name in _named("Job")
        serves = any(_selects(svc["spec"]["selector"], _named("Deployment")[name]["spec"]["template"]["metadata"]
                              ["labels"]) for svc in services) if not is_job else False
        for container in spec["containers"]:
            where = f"{name}/{container['name']}"
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][kind]), where
            if not is_job:
                assert "livenessProbe" in container, where
                if serves:  # traffic only to pods that are ready
                    assert "readinessProbe" in container, where
            # A read-only root needs a writable /tmp (uploads spool there, Celery and gunicorn write there).
            assert "/tmp" in {m["mountPath"] for m in container.get("volumeMounts", [])}, where


def test_web_and_events_probe_healthz_for_liveness_and_readyz_for_readiness():
    for name, port in (("convonest-web", 8000), ("convonest-events", 8002)):
        (container,) = _pod_specs()[name]["containers"]
        assert container["ports"][0]["containerPort"] == port
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz", name
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name


def test_web_events_workers_beat_and_migrations_run_one_backend_image():
    images = {name: {c["image"] for c in spec["containers"]} for name, spec in _pod_specs().items()}
    assert images.pop("convonest-frontend") == {FRONTEND_IMAGE}
    assert set(images) >= {"convonest-web", "convonest-events", "convonest-beat", "convonest-migrate",
                           "convonest-worker-default", "convonest-worker-campaigns", "convonest-worker-routing"}
    assert all(found == {BACKEND_IMAGE} for found in images.values()), images


def test_commands_match_docker_compose():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    specs = _pod_specs()
    command = {name: spec["containers"][0].get("command", []) for name, spec in specs.items()}
    assert command["convonest-web"][:2] == ["gunicorn", "convonest.wsgi"]
    assert command["convonest-events"][:2] == compose["events"]["command"][:2]
    assert command["convonest-beat"] == compose["beat"]["command"]
    # The same migration steps, in the same order, as compose's one-off job.
    steps = lambda text: re.findall(r"manage\.py ([a-z_]+)", text)  # noqa: E731
    assert steps(command["convonest-migrate"][-1]) == steps(" ".join(compose["migrate"]["command"]))
    assert "--executor" not in command["convonest-migrate"][-1]  # the default: tenants/migrate_executor.py
    # The access log never carries a query string (audit L4), as in compose.
    log_format = next(arg for arg in command["convonest-web"] if arg.startswith("--access-logformat="))
    assert "%(U)s" in log_format and "%(q)s" not in log_format and "%(f)s" not in log_format


def test_beat_is_a_singleton():
    beat = _named("Deployment")["convonest-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}  # never two beats, not even during a rollout
    scaled = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in _of_kind("HorizontalPodAutoscaler")}
    assert "convonest-beat" not in scaled


def _production_queues() -> set[str]:
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "routes = s.CELERY_TASK_ROUTES if isinstance(s.CELERY_TASK_ROUTES, dict) else {}; "
            "queues = {s.CELERY_TASK_DEFAULT_QUEUE} | {r['queue'] for r in routes.values() if 'queue' in r}; "
            "queues |= {getattr(q, 'name', q) for q in (getattr(s, 'CELERY_TASK_QUEUES', None) or [])}; "
            "print(json.dumps(sorted(queues)))")
    done = run_python(code, production_env(**real_secrets()))
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_every_celery_queue_has_its_own_worker_pool():
    consumed = {}
    for name, spec in _pod_specs().items():
        args = spec["containers"][0].get("command", [])
        if args[:4] == ["celery", "-A", "convonest", "worker"]:
            queues = args[args.index("-Q") + 1].split(",")
            node = args[args.index("-n") + 1].split("@")[0]
            for queue in queues:
                assert queue not in consumed, f"{queue} is consumed by {consumed.get(queue)} and {name}"
                consumed[queue] = name
            probe = " ".join(spec["containers"][0]["livenessProbe"]["exec"]["command"])
            assert f"-d \"{node}@$HOSTNAME\"" in probe, name  # pings this pod's own node
    queues = _production_queues()
    assert {"celery", "routing", "sends", "campaigns", "imports", "media"} <= queues
    assert set(consumed) == queues, f"queues {sorted(queues)}, worker pools for {sorted(consumed)}"
    # Each pool scales on its own, and the one running contact imports reads the files the web pod wrote.
    scaled = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in _of_kind("HorizontalPodAutoscaler")}
    assert set(consumed.values()) <= scaled, f"worker pools without an HPA: {sorted(set(consumed.values()) - scaled)}"
    for name in (consumed["imports"], "convonest-web"):
        claims = {v.get("persistentVolumeClaim", {}).get("claimName") for v in _pod_specs()[name]["volumes"]}
        assert "convonest-media" in claims, name


# --- scaling, disruption, networking ----------------------------------------------------------------------------

def test_every_hpa_targets_an_existing_deployment():
    deployments = _named("Deployment")
    hpas = _of_kind("HorizontalPodAutoscaler")
    targets = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in hpas}
    assert targets >= {"convonest-web", "convonest-events", "convonest-worker-default", "convonest-worker-campaigns"}
    for hpa in hpas:
        ref = hpa["spec"]["scaleTargetRef"]
        assert (ref["apiVersion"], ref["kind"]) == ("apps/v1", "Deployment")
        assert ref["name"] in deployments, ref
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        # Every container of a CPU-scaled Deployment requests CPU, or utilisation is undefined.
        for container in deployments[ref["name"]]["spec"]["template"]["spec"]["containers"]:
            assert "cpu" in container["resources"]["requests"], ref["name"]


def test_every_pdb_selects_exactly_one_existing_deployment():
    covered = set()
    for pdb in _of_kind("PodDisruptionBudget"):
        selected = _deployments_selected_by(pdb["spec"]["selector"]["matchLabels"])
        assert len(selected) == 1, (pdb["metadata"]["name"], selected)
        covered |= set(selected)
    assert "convonest-beat" not in covered  # a PDB on a single replica would block every node drain
    assert covered == set(_named("Deployment")) - {"convonest-beat"}


def test_services_select_deployments_and_ingresses_reach_existing_service_ports():
    services = _named("Service")
    for name, service in services.items():
        assert _deployments_selected_by(service["spec"]["selector"]) == [name]
        deployment = _named("Deployment")[name]
        port_names = {p["name"] for c in deployment["spec"]["template"]["spec"]["containers"] for p in c["ports"]}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= port_names, name
    for ingress in _of_kind("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] in services, backend
                assert backend["port"]["name"] in {p["name"] for p in services[backend["name"]]["spec"]["ports"]}


def _route(ingresses: list[dict], host: str, path: str) -> str | None:
    """The Service an Ingress controller picks for host+path: Exact first, then the longest Prefix."""
    best = None
    for ingress in ingresses:
        for rule in ingress["spec"]["rules"]:
            pattern = rule["host"]
            if not (host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])
                                        and "." not in host[: -len(pattern) + 1])):
                continue
            for entry in rule["http"]["paths"]:
                prefix = entry["path"].rstrip("/")
                if entry["pathType"] == "Exact":
                    matched = path == entry["path"]
                    rank = 10_000
                else:
                    matched = path == prefix or path.startswith(prefix + "/") or prefix == ""
                    rank = len(prefix)
                if matched and (best is None or rank > best[0]):
                    best = (rank, entry["backend"]["service"]["name"])
    return best[1] if best else None


def test_the_ingress_routes_like_infra_nginx():
    nginx = (REPO / "infra" / "nginx" / "convonest.conf").read_text()
    upstreams = {"convonest_backend": "convonest-web", "convonest_events": "convonest-events",
                 "convonest_frontend": "convonest-frontend"}
    locations = re.findall(r"location\s+(=\s+)?(/[^\s{]*)\s*\{[^}]*?proxy_pass http://(\w+);", nginx)
    assert len(locations) >= 8
    ingresses = [i for i in _of_kind("Ingress") if "convonest.io/custom-domain" not in i["metadata"]["labels"]]
    custom = [i for i in _of_kind("Ingress") if "convonest.io/custom-domain" in i["metadata"]["labels"]]
    base = _config()["BASE_DOMAIN"]
    custom_host = custom[0]["spec"]["rules"][0]["host"]
    for _exact, location, upstream in locations:
        for path in (location, location.rstrip("/") + "/x/" if location.endswith("/") else location):
            for host, routes in ((base, ingresses), (f"acme.{base}", ingresses), (custom_host, custom)):
                assert _route(routes, host, path) == upstreams[upstream], (host, path)
    for host in (base, f"acme.{base}"):
        assert _route(ingresses, host, "/inbox") == "convonest-frontend"
        assert _route(ingresses, host, "/apix") == "convonest-frontend"  # a prefix is whole path segments
    assert _route(ingresses, f"a.b.{base}", "/api/") is None  # the wildcard covers one label, like the certificate


def test_the_ingress_serves_base_domain_and_every_subdomain_over_one_wildcard_certificate():
    base = _config()["BASE_DOMAIN"]
    (main,) = [i for i in _of_kind("Ingress") if i["metadata"]["name"] == "convonest"]
    assert main["metadata"]["annotations"]["cert-manager.io/cluster-issuer"]
    for ingress in _of_kind("Ingress"):
        hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
        tls_hosts = {h for tls in ingress["spec"]["tls"] for h in tls["hosts"]}
        assert hosts <= tls_hosts, ingress["metadata"]["name"]  # no host served without TLS
        if "convonest.io/custom-domain" not in ingress["metadata"]["labels"]:
            assert hosts == {base, f"*.{base}"}
    events = _named("Ingress")["convonest-events"]["metadata"]["annotations"]
    assert events["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"  # server-sent events stream


# --- configuration and secrets ---------------------------------------------------------------------------------

def _documented_variables() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (REPO / ".env.example").read_text(), re.M))


def test_config_map_names_only_documented_variables_and_holds_no_secret():
    config, secrets = _config(), _secret_keys()
    unknown = set(config) - _documented_variables() - SERVER_VARIABLES
    assert not unknown, f"not documented in .env.example: {sorted(unknown)}"
    assert not set(config) & set(secrets), "a variable is in both the ConfigMap and the Secret"
    for key, value in config.items():
        assert not re.search(r"SECRET|PASSWORD|TOKEN|_KEY$|_KEYS?_|ACCESS_KEY", key), f"{key} belongs in the Secret"
        assert value not in PUBLIC_VALUES, key
        assert not re.search(r"://[^/@\s]*:[^/@\s]*@", value), f"{key} carries credentials in a URL"
    assert config["DJANGO_DEBUG"] == "false" and config["SITE_SCHEME"] == "https"
    assert not any(kind == "Secret" for kind in (doc["kind"] for doc in _resources())), "never commit a Secret"


def test_the_secret_template_has_every_key_production_needs_and_no_values():
    from convonest import checks

    secrets = _secret_keys()
    assert all(value == "" for value in secrets.values()), "secrets.env.example must stay without values"
    needed = {name for name, _values, _required in checks._secrets()} | {"DATABASE_URL", "REDIS_URL"}
    assert needed <= set(secrets), f"missing from secrets.env.example: {sorted(needed - set(secrets))}"
    for spec in _pod_specs().values():
        for container in spec["containers"]:
            if container["image"] == BACKEND_IMAGE:
                assert container["envFrom"] == [{"configMapRef": {"name": "convonest-config"}},
                                                {"secretRef": {"name": "convonest-secrets"}}]


def test_config_map_and_the_secret_make_a_production_configuration_django_accepts():
    values = {key: f"{key.lower()}-{'x' * 40}" for key in _secret_keys()}
    values["SENTRY_DSN"] = "https://public-key@sentry.example.com/1"
    values.update(real_secrets())
    values.update(DATABASE_URL="postgresql://convonest:pw@db.internal:5432/convonest",
                  REDIS_URL="redis://:pw@redis.internal:6379/0")
    env = production_env(**{**_config(), **values})
    env.pop("MEDIA_ROOT", None)  # a path inside the image; this machine has none
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "from convonest.checks import deploy_errors; "
            "print(json.dumps({'errors': [e.msg for e in deploy_errors()], 'debug': s.DEBUG, "
            "'redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, 'base': s.BASE_DOMAIN, "
            "'storage': s.STORAGES['default']['BACKEND'], 'db': s.DATABASES['default']['HOST']}))")
    done = run_python(code, env)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["errors"] == []
    assert (found["debug"], found["redirect"], found["base"]) == (False, True, _config()["BASE_DOMAIN"])
    assert found["hsts"] > 0
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["db"] == "db.internal"


def test_make_k8s_validate_runs_this_file():
    makefile = (REPO / "Makefile").read_text()
    target = re.search(r"^k8s-validate:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert target and Path(__file__).name in target.group(1)


# --- NetworkPolicy: who may connect to which pod port (deploy/k8s/base/networkpolicy.yaml) -----------------------

def _matches(selector: dict, labels: dict) -> bool:
    """A Kubernetes label selector (matchLabels and In/NotIn expressions); {} selects everything."""
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        inside = labels.get(expression["key"]) in expression["values"]
        if inside != (expression["operator"] == "In"):
            return False
    return True


def _may_connect(source: dict, pod: str, port: dict) -> bool:
    """Whether `source` ({"namespace": ...} or {"pod": deployment}) may open `port` of `pod` under the policies.

    Policies are additive: a connection is allowed when any policy selecting the pod allows it."""
    labels = _named("Deployment")[pod]["spec"]["template"]["metadata"]["labels"]
    for policy in _of_kind("NetworkPolicy"):
        if "Ingress" not in policy["spec"]["policyTypes"] or not _matches(policy["spec"]["podSelector"], labels):
            continue
        for rule in policy["spec"].get("ingress", []):
            ports = rule.get("ports")
            if ports and not any(p["port"] in (port["containerPort"], port.get("name")) for p in ports):
                continue
            for peer in rule.get("from", []):
                if "namespaceSelector" in peer and "namespace" in source:
                    if _matches(peer["namespaceSelector"], {"kubernetes.io/metadata.name": source["namespace"]}):
                        return True
                elif "podSelector" in peer and "namespaceSelector" not in peer and "pod" in source:
                    other = _named("Deployment")[source["pod"]]["spec"]["template"]["metadata"]["labels"]
                    if _matches(peer["podSelector"], other):
                        return True
    return False


def _ports() -> list[tuple[str, dict]]:
    return [(name, port) for name, doc in _named("Deployment").items()
            for container in doc["spec"]["template"]["spec"]["containers"] for port in container.get("ports", [])]


def test_every_pod_refuses_connections_that_no_policy_allows():
    denying = [p for p in _of_kind("NetworkPolicy")
               if p["spec"]["podSelector"] == {} and p["spec"]["policyTypes"] == ["Ingress"] and not p["spec"].get(
                   "ingress")]
    assert denying, "a default-deny ingress policy selecting every pod"
    for pod, port in _ports():
        for stranger in ({"namespace": "default"}, {"namespace": "some-other-team"}):
            assert not _may_connect(stranger, pod, port), (pod, port, stranger)


def test_the_ingress_controller_reaches_what_the_ingresses_route_to_and_nothing_else():
    routed = {(path["backend"]["service"]["name"], path["backend"]["service"]["port"].get("name"))
              for ingress in _of_kind("Ingress") for rule in ingress["spec"]["rules"]
              for path in rule["http"]["paths"]}
    services = _named("Service")
    for service_name, _ in routed:
        (pod,) = _deployments_selected_by(services[service_name]["spec"]["selector"])
        (port,) = [p for name, p in _ports() if name == pod and p.get("name") == "http"]
        assert _may_connect({"namespace": "ingress-nginx"}, pod, port), service_name
    for pod, port in _ports():
        if port.get("name") == "metrics":
            assert not _may_connect({"namespace": "ingress-nginx"}, pod, port), pod


def test_the_frontend_reaches_web_and_events_and_workers_reach_no_one():
    http = {name: port for name, port in _ports() if port.get("name") == "http"}
    assert _may_connect({"pod": "convonest-frontend"}, "convonest-web", http["convonest-web"])
    assert _may_connect({"pod": "convonest-frontend"}, "convonest-events", http["convonest-events"])
    workers = [name for name in _named("Deployment") if name.startswith("convonest-worker")]
    assert workers
    for worker in workers:
        for pod, port in _ports():
            assert not _may_connect({"pod": worker}, pod, port), (worker, pod, port)


def test_only_prometheus_reaches_the_workers_unauthenticated_metrics_port():
    metrics = [(pod, port) for pod, port in _ports() if port.get("name") == "metrics"]
    assert metrics, "the workers expose CELERY_METRICS_PORT"
    for pod, port in metrics:
        assert _may_connect({"namespace": "monitoring"}, pod, port), pod
        for other in ("convonest-frontend", "convonest-web", "convonest-events"):
            assert not _may_connect({"pod": other}, pod, port), (other, pod)
