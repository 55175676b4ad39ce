from __future__ import annotations

from dataclasses import fields

from newsloom.config import ClusterConfig, load_config
from newsloom.corpus.clusters import ClusterParams
from newsloom.passes.clusters import ClustersPass


def test_shipped_cluster_config_and_library_defaults_agree():
    """The [cluster] defaults and ClusterParams() are the same numbers: neither may drift."""
    shipped = load_config().cluster
    library = ClusterParams()
    for f in fields(ClusterConfig):
        assert getattr(shipped, f.name) == getattr(library, f.name), f.name


def test_user_config_reaches_the_clusterer():
    cfg = load_config(overrides={"cluster": {"event_threshold": 0.9, "quantity_min": 10}})
    params = ClustersPass(cfg).params()
    assert (params.event_threshold, params.quantity_min) == (0.9, 10.0)
