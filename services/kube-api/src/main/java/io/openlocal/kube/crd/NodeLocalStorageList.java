package io.openlocal.kube.crd;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import java.util.ArrayList;
import java.util.List;

/** A list of NodeLocalStorage, as the API server returns it. */
public final class NodeLocalStorageList implements KubernetesListObject {

    private String apiVersion = Crds.API_VERSION;
    private String kind = "NodeLocalStorageList";
    private V1ListMeta metadata = new V1ListMeta();
    private List<NodeLocalStorage> items = new ArrayList<>();

    @Override
    public String getApiVersion() { return apiVersion; }

    @Override
    public String getKind() { return kind; }

    @Override
    public V1ListMeta getMetadata() { return metadata; }

    @Override
    public List<NodeLocalStorage> getItems() { return items == null ? List.of() : items; }
}
