package io.openlocal.kube.crd;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/** The cluster's storage plan for nodes; the controller turns it into one NodeLocalStorage per node. */
public final class NodeLocalStorageInitConfig implements KubernetesObject {

    private String apiVersion = Crds.API_VERSION;
    private String kind = Crds.NLSC_KIND;
    private V1ObjectMeta metadata;
    private NodeLocalStorageInitConfigSpec spec;

    public NodeLocalStorageInitConfig() {
    }

    public NodeLocalStorageInitConfig(V1ObjectMeta metadata, NodeLocalStorageInitConfigSpec spec) {
        this.metadata = metadata;
        this.spec = spec;
    }

    @Override
    public String getApiVersion() { return apiVersion; }

    @Override
    public String getKind() { return kind; }

    @Override
    public V1ObjectMeta getMetadata() { return metadata; }

    public NodeLocalStorageInitConfigSpec getSpec() { return spec; }

    public void setMetadata(V1ObjectMeta metadata) { this.metadata = metadata; }

    public void setSpec(NodeLocalStorageInitConfigSpec spec) { this.spec = spec; }
}
