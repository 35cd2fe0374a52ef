package io.openlocal.kube.crd;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import java.util.List;

/**
 * Cluster-wide storage defaults ({@code globalConfig}) and per-node-class overrides ({@code nodesConfig}, later
 * entries winning over earlier ones) from which the controller writes each node's NodeLocalStorage spec.
 */
public record NodeLocalStorageInitConfigSpec(GlobalConfig globalConfig, List<NodeConfig> nodesConfig) {

    public NodeLocalStorageInitConfigSpec {
        nodesConfig = nodesConfig == null ? List.of() : List.copyOf(nodesConfig);
    }

    /** Defaults for every node. */
    public record GlobalConfig(ListConfig listConfig, ResourceToBeInited resourceToBeInited, SpdkConfig spdkConfig) {
    }

    /** Settings for the nodes a label selector picks. */
    public record NodeConfig(V1LabelSelector selector, ListConfig listConfig, ResourceToBeInited resourceToBeInited,
                             SpdkConfig spdkConfig) {
    }
}
