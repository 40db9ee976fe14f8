from __future__ import annotations

from kubeguard.model import K8sObject, pod_specs, render_path
from kubeguard.model.objects import parse_path

C = [{"name": "c", "image": "x"}]


def _obj(raw):
    return K8sObject.from_raw(raw, "c")


def test_builtin_kinds_paths():
    cases = {
        ("v1", "Pod"): ({"spec": {"containers": C}}, "spec"),
        ("apps/v1", "Deployment"): ({"spec": {"template": {"spec": {"containers": C}}}}, "spec.template.spec"),
        ("batch/v1", "CronJob"): ({"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": C}}}}}},
                                  "spec.jobTemplate.spec.template.spec"),
        ("v1", "ReplicationController"): ({"spec": {"template": {"spec": {"containers": C}}}}, "spec.template.spec"),
    }
    for (api, kind), (body, path) in cases.items():
        [view] = pod_specs(_obj({"apiVersion": api, "kind": kind, "metadata": {"name": "n"}, **body}))
        assert render_path(view.base) == path


def test_custom_resources_with_pod_templates():
    ray = _obj({"apiVersion": "ray.io/v1", "kind": "RayCluster", "metadata": {"name": "r"},
                "spec": {"headGroupSpec": {"template": {"metadata": {"labels": {"role": "head"}}, "spec": {"containers": C}}},
                         "workerGroupSpecs": [{"template": {"spec": {"containers": C}}},
                                              {"template": {"spec": {"containers": C}}}]}})
    views = pod_specs(ray)
    assert [render_path(v.base) for v in views] == [
        "spec.headGroupSpec.template.spec", "spec.workerGroupSpecs[0].template.spec",
        "spec.workerGroupSpecs[1].template.spec"]
    assert views[0].labels == {"role": "head"}
    pytorch = _obj({"apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob", "metadata": {"name": "t"},
                    "spec": {"pytorchReplicaSpecs": {"Master": {"template": {"spec": {"containers": C}}}}}})
    assert [render_path(v.base) for v in pod_specs(pytorch)] == ["spec.pytorchReplicaSpecs.Master.template.spec"]
    knative = _obj({"apiVersion": "serving.knative.dev/v1", "kind": "Service", "metadata": {"name": "k"},
                    "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}})
    assert len(pod_specs(knative)) == 1


def test_non_workloads_and_crds_have_no_pod_specs():
    crd = _obj({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "x"},
                "spec": {"versions": [{"schema": {"openAPIV3Schema": {"properties": {"containers": {"type": "array"}}}}}]}})
    svc = _obj({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": []}})
    cm = _obj({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"containers": "x"}})
    assert pod_specs(crd) == [] and pod_specs(svc) == [] and pod_specs(cm) == []


def test_wrong_field_types_do_not_crash():
    weird = _obj({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                  "spec": {"template": {"spec": {"containers": ["oops", {"name": "ok", "image": "x",
                                                                         "securityContext": "bad"}]}}}})
    [view] = pod_specs(weird)
    cs = list(view.all_containers())
    assert [c.name for c in cs] == ["ok"] and cs[0].security_context == {}


def test_effective_security_context_precedence():
    [view] = pod_specs(_obj({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                             "spec": {"securityContext": {"runAsNonRoot": True},
                                      "containers": [{"name": "a", "image": "x"},
                                                     {"name": "b", "image": "x", "securityContext": {"runAsNonRoot": False}}]}}))
    a, b = view.containers()
    assert a.effective("runAsNonRoot") == (True, ("spec", "securityContext", "runAsNonRoot"))
    assert b.effective("runAsNonRoot") == (False, ("spec", "containers", 1, "securityContext", "runAsNonRoot"))


def test_path_render_roundtrip():
    p = ("metadata", "annotations", "kubernetes.io/psp", "x", 0, "a-b")
    assert render_path(p) == 'metadata.annotations["kubernetes.io/psp"].x[0].a-b'
    assert parse_path(render_path(p)) == p
