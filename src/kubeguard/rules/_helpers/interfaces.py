"""Known sensitive interfaces: web UIs and APIs that were not built to face the internet.

Recognised by container image (any registry or mirror: the patterns search the reference as
written), and for multi-purpose images by a word of the command line.  The list follows
Kubescape's C-0021 (Apache NiFi, Argo Workflows server, Weave Scope, Kubeflow, Kubernetes
Dashboard, and vLLM in its tests) and adds the other dashboards, notebooks and model servers
seen exploited or scanned for: Jupyter (unauthenticated kernels), Ray (ShadowRay,
CVE-2023-48022), Argo CD, Prometheus, Alertmanager, Grafana, Kibana, Jenkins, Airflow, MLflow
and LLM servers whose OpenAI-style APIs run model inference for anyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kubeguard.model import PodSpecView

_END = r"(:|@|$)"


@dataclass(frozen=True, slots=True)
class Interface:
    name: str
    image: re.Pattern[str]
    words: tuple[str, ...] = ()  # the container must run one of these command/args words (or basenames)


def _i(name: str, pattern: str, *words: str) -> Interface:
    return Interface(name, re.compile(pattern), words)


INTERFACES: tuple[Interface, ...] = (
    _i("Kubernetes Dashboard", rf"(^|/)(kubernetesui/dashboard[a-z-]*|kubernetes-dashboard[a-z0-9-]*){_END}"),
    _i("Argo Workflows server", rf"(^|/)argoproj/argocli{_END}", "server"),
    _i("Argo CD server", rf"(^|/)argoproj/argocd{_END}", "argocd-server"),
    _i("Kubeflow central dashboard", rf"(^|/)(kubeflow|kubeflownotebookswg)/centraldashboard{_END}"),
    _i("Kubeflow Pipelines UI", rf"(^|/)ml-pipeline/frontend{_END}"),
    _i("Jupyter", rf"(^|/)jupyter/[a-z0-9-]*notebook{_END}|(^|/)jupyterhub/(k8s-hub|configurable-http-proxy){_END}"
                  r"|(^|/)tensorflow/tensorflow:[^@]*jupyter"),
    _i("Apache NiFi", rf"(^|/)apache/nifi{_END}"),
    _i("Weave Scope", rf"(^|/)weaveworks/scope{_END}"),
    _i("Ray", rf"(^|/)(rayproject|anyscale)/ray(-ml|-llm)?{_END}"),
    _i("vLLM", rf"(^|/)vllm(-openai|-tpu)?{_END}"),
    _i("Text Generation Inference", r"text-generation-inference"),
    _i("Triton Inference Server", rf"(^|/)tritonserver{_END}"),
    _i("TensorFlow Serving", rf"(^|/)tensorflow/serving{_END}"),
    _i("TorchServe", rf"(^|/)pytorch/torchserve{_END}"),
    _i("Ollama", rf"(^|/)ollama/ollama{_END}"),
    _i("Open WebUI", rf"(^|/)open-webui/open-webui{_END}"),
    _i("MLflow", rf"(^|/)mlflow/mlflow{_END}"),
    _i("Prometheus", rf"(^|/)prom(etheus)?/prometheus{_END}"),
    _i("Alertmanager", rf"(^|/)prom(etheus)?/alertmanager{_END}"),
    _i("Grafana", rf"(^|/)grafana/grafana(-oss|-enterprise)?{_END}|heapster-grafana"),
    _i("Kibana", rf"(^|/)kibana(/kibana)?{_END}"),
    _i("Jenkins", rf"(^|/)jenkins/jenkins{_END}"),
    _i("Apache Airflow", rf"(^|/)apache/airflow{_END}", "webserver", "api-server"),
)


def _words(raw: dict) -> set[str]:
    out: set[str] = set()
    for key in ("command", "args"):
        v = raw.get(key)
        for w in v if isinstance(v, list) else []:
            if isinstance(w, str):
                for part in w.split():
                    out.update((part, part.rsplit("/", 1)[-1]))
    return out


@lru_cache(maxsize=4096)
def _by_image(image: str) -> tuple[Interface, ...]:
    low = image.lower()
    return tuple(i for i in INTERFACES if i.image.search(low))


def interfaces_of(pod: PodSpecView, extra: tuple[re.Pattern[str], ...] = ()) -> list[str]:
    """Names of the sensitive interfaces the pod's app containers run (init containers serve nothing)."""
    found: list[str] = []
    for c in pod.containers():
        for i in _by_image(c.image):
            if (not i.words or not _words(c.raw).isdisjoint(i.words)) and i.name not in found:
                found.append(i.name)
        for p in extra:
            if p.search(c.image) and c.image not in found:
                found.append(c.image)
    return found
