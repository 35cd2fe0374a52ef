package io.openlocal.kube.crd;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/** One node's local storage: spec from the controller, status from the node's agent. Named after the node. */
public final class NodeLocalStorage implements KubernetesObject {

    private String apiVersion = Crds.API_VERSION;
    private String kind = Crds.NLS_KIND;
    private V1ObjectMeta metadata;
    private NodeLocalStorageSpec spec;
    private NodeLocalStorageStatus status;

    public NodeLocalStorage() {
    }

    public NodeLocalStorage(V1ObjectMeta metadata, NodeLocalStorageSpec spec, NodeLocalStorageStatus status) {
        this.metadata = metadata;
        this.spec = spec;
        this.status = status;
    }

    @Override
    public String getApiVersion() { return apiVersion; }

    @Override
    public String getKind() { return kind; }

    @Override
    public V1ObjectMeta getMetadata() { return metadata; }

    public NodeLocalStorageSpec getSpec() { return spec; }

    public NodeLocalStorageStatus getStatus() { return status; }

    public void setMetadata(V1ObjectMeta metadata) { this.metadata = metadata; }

    public void setSpec(NodeLocalStorageSpec spec) { this.spec = spec; }

    public void setStatus(NodeLocalStorageStatus status) { this.status = status; }
}
