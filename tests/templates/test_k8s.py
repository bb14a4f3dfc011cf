"""Fast layer: the Kubernetes manifests of every rendered server are valid and hardened.

Each manifest is validated, strictly (unknown fields are errors), against the Kubernetes OpenAPI schemas that
the kubernetes-validate package ships: no cluster and no network needed. The generated project's own
tests/test_k8s.py checks what needs its code (Settings variables, probe routes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from rendering import Rendered

# The newest schemas the package ships, and an older release still in wide use (managed clusters lag).
KUBERNETES_VERSIONS = (kubernetes_validate.utils.latest_version(), "1.29.0")
WORKLOADS = {"Deployment", "StatefulSet"}


class Manifests:
    """The resources deploy/k8s/kustomization.yaml lists, by kind."""

    def __init__(self, root: Path) -> None:
        self.folder = root / "deploy" / "k8s"
        self.kustomization = _load(self.folder / "kustomization.yaml")
        self.files = [self.folder / name for name in self.kustomization["resources"]]
        self.by_kind = {manifest["kind"]: manifest for manifest in map(_load, self.files)}

    @property
    def workload(self) -> dict[str, Any]:
        (workload,) = [manifest for kind, manifest in self.by_kind.items() if kind in WORKLOADS]
        return workload

    @property
    def pod(self) -> dict[str, Any]:
        pod: dict[str, Any] = self.workload["spec"]["template"]
        return pod

    @property
    def container(self) -> dict[str, Any]:
        (container,) = self.pod["spec"]["containers"]
        return dict(container)


def _load(path: Path) -> dict[str, Any]:
    # One document a file: pre-commit's check-yaml refuses several without --allow-multiple-documents.
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


@pytest.fixture
def manifests(rendered_with_kubernetes: Rendered) -> Manifests:
    return Manifests(rendered_with_kubernetes.root)


def test_the_kustomization_lists_every_manifest(manifests: Manifests) -> None:
    on_disk = {path.name for path in manifests.folder.iterdir()} - {"kustomization.yaml"}

    assert {path.name for path in manifests.files} == on_disk
    assert manifests.by_kind.keys() >= {"ConfigMap", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"}
    assert [image["name"] for image in manifests.kustomization["images"]] == [manifests.container["image"]]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_is_valid_against_the_kubernetes_schema(manifests: Manifests, version: str) -> None:
    for path in manifests.files:
        for resource in kubernetes_validate.utils.resources_from_file(str(path)):
            kubernetes_validate.validate(resource, version, strict=True)


def test_the_pod_runs_unprivileged_on_a_read_only_root(manifests: Manifests) -> None:
    pod_security = manifests.pod["spec"]["securityContext"]
    security = manifests.container["securityContext"]

    # The Dockerfile's user: uid and gid 10001.
    assert pod_security | {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001} == pod_security
    assert pod_security["seccompProfile"] == {"type": "RuntimeDefault"}
    assert security["allowPrivilegeEscalation"] is False
    assert security["readOnlyRootFilesystem"] is True
    assert security["capabilities"]["drop"] == ["ALL"]
    assert manifests.pod["spec"]["automountServiceAccountToken"] is False
    assert manifests.pod["spec"]["enableServiceLinks"] is False


def test_the_writable_paths_are_volumes(manifests: Manifests) -> None:
    mounts = {mount["mountPath"]: mount["name"] for mount in manifests.container["volumeMounts"]}
    volumes = {volume["name"] for volume in manifests.pod["spec"]["volumes"]}
    claims = {claim["metadata"]["name"] for claim in manifests.workload["spec"].get("volumeClaimTemplates", [])}

    assert "/tmp" in mounts
    assert set(mounts.values()) == volumes | claims
    if manifests.workload["kind"] == "StatefulSet":
        config = manifests.by_kind["ConfigMap"]["data"]
        sessions = next(value for name, value in config.items() if name.endswith("_SESSIONS_PATH"))
        assert mounts[str(Path(sessions).parent)] in claims, "sessions live on each replica's own volume"


def test_probes_and_resources(manifests: Manifests) -> None:
    container = manifests.container

    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["startupProbe"]["httpGet"]["path"] == "/health"
    assert container["ports"] == [{"name": "http", "containerPort": 8000}]
    assert container["resources"]["requests"].keys() == container["resources"]["limits"].keys() == {"cpu", "memory"}


def test_service_and_autoscaler_target_the_workload(manifests: Manifests) -> None:
    workload, by_kind = manifests.workload, manifests.by_kind
    labels = manifests.pod["metadata"]["labels"]
    target = by_kind["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]

    assert by_kind["Service"]["spec"]["selector"].items() <= labels.items()
    assert workload["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert (target["kind"], target["name"]) == (workload["kind"], workload["metadata"]["name"])
    assert "replicas" not in workload["spec"], "the autoscaler owns the replica count"
    assert by_kind["Service"]["spec"]["ports"][0]["targetPort"] == "http"


def test_configuration_comes_from_the_config_map_and_the_secret(
    manifests: Manifests, rendered_with_kubernetes: Rendered
) -> None:
    answers = rendered_with_kubernetes.answers
    slug = answers["project_slug"]
    container, config = manifests.container, manifests.by_kind["ConfigMap"]

    assert container["envFrom"] == [{"configMapRef": {"name": config["metadata"]["name"]}}]
    refs = [item["valueFrom"]["secretKeyRef"] for item in container.get("env", []) if "valueFrom" in item]
    assert {ref["name"] for ref in refs} <= {f"{slug}-secrets"}
    if answers.get("auth") == "api-key":
        assert [ref for ref in refs if not ref.get("optional")], "the API key is required"
