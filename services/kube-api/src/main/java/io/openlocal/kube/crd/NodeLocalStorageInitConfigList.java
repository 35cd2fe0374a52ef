package io.openlocal.kube.crd;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.util.ArrayList;
import java.util.List;

/** A list of NodeLocalStorageInitConfig, as the API server returns it. */
public final class NodeLocalStorageInitConfigList implements KubernetesListObject {

    private String apiVersion = Crds.API_VERSION;
    private String kind = "NodeLocalStorageInitConfigList";
    private V1ListMeta metadata = new V1ListMeta();
    private List<NodeLocalStorageInitConfig> items = new ArrayList<>();

    @Override
    public String getApiVersion() { return apiVersion; }

    @Override
    public String getKind() { return kind; }

    @Override
    public V1ListMeta getMetadata() { return metadata; }

    @Override
    public List<NodeLocalStorageInitConfig> getItems() { return items == null ? List.of() : items; }
}
