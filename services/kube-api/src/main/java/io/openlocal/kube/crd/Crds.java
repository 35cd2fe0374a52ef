package io.openlocal.kube.crd;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.generic.GenericKubernetesApi;

/** The custom resources' coordinates (group {@code csi.aliyun.com}, version {@code v1alpha1}, as Open-Local). */
public final class Crds {

    public static final String GROUP = "csi.aliyun.com";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    public static final String NLS_KIND = "NodeLocalStorage";
    public static final String NLS_PLURAL = "nodelocalstorages";
    public static final String NLSC_KIND = "NodeLocalStorageInitConfig";
    public static final String NLSC_PLURAL = "nodelocalstorageinitconfigs";

    private Crds() {
    }

    /** A typed client for NodeLocalStorage (cluster-scoped; one per node, named after it). */
    public static GenericKubernetesApi<NodeLocalStorage, NodeLocalStorageList> nodeLocalStorages(ApiClient client) {
        return new GenericKubernetesApi<>(NodeLocalStorage.class, NodeLocalStorageList.class, GROUP, VERSION,
                NLS_PLURAL, client);
    }

    /** A typed client for NodeLocalStorageInitConfig (cluster-scoped). */
    public static GenericKubernetesApi<NodeLocalStorageInitConfig, NodeLocalStorageInitConfigList>
            initConfigs(ApiClient client) {
        return new GenericKubernetesApi<>(NodeLocalStorageInitConfig.class, NodeLocalStorageInitConfigList.class,
                GROUP, VERSION, NLSC_PLURAL, client);
    }

    /**
     * Replaces an NLS's status with a PUT on the status subresource, guarded by the object's resourceVersion
     * (a stale copy fails with 409 Conflict and the caller re-reads). client-java's {@code updateStatus} sends a
     * JSON-patch "replace /status", which fails on an object that has no status yet.
     */
    public static NodeLocalStorage replaceStatus(ApiClient client, NodeLocalStorage nls) throws ApiException {
        Object answer = new CustomObjectsApi(client)
                .replaceClusterCustomObjectStatus(GROUP, VERSION, NLS_PLURAL, nls.getMetadata().getName(), nls)
                .execute();
        JSON json = client.getJSON();
        return json.deserialize(json.serialize(answer), NodeLocalStorage.class);
    }
}
