package io.openlocal.agent.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.openlocal.agent.status.StatusComparison;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageList;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import java.net.HttpURLConnection;

/**
 * Writes an NLS status through the status subresource, only when it says something new (time stamps aside),
 * guarded by the object's resourceVersion: on 409 Conflict it reads the object again and retries, a few times.
 */
public final class StatusPublisher {

    public enum Outcome { UNCHANGED, WRITTEN, GONE }

    static final int MAX_ATTEMPTS = 5;

    private final ApiClient client;
    private final GenericKubernetesApi<NodeLocalStorage, NodeLocalStorageList> api;
    private volatile long conflicts;

    public StatusPublisher(ApiClient client) {
        this.client = client;
        this.api = Crds.nodeLocalStorages(client);
    }

    /** Conflicts met so far (each was followed by a re-read). */
    public long conflicts() {
        return conflicts;
    }

    public Outcome publish(NodeLocalStorage seen, NodeLocalStorageStatus desired) throws ApiException {
        NodeLocalStorage current = seen;
        for (int attempt = 1; ; attempt++) {
            if (StatusComparison.sameIgnoringTimes(current.getStatus(), desired)) {
                return Outcome.UNCHANGED;
            }
            NodeLocalStorage update = new NodeLocalStorage(current.getMetadata(), current.getSpec(), desired);
            try {
                Crds.replaceStatus(client, update);
                return Outcome.WRITTEN;
            } catch (ApiException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return Outcome.GONE;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                conflicts++;
                KubernetesApiResponse<NodeLocalStorage> fresh = api.get(current.getMetadata().getName());
                if (fresh.getHttpStatusCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return Outcome.GONE;
                }
                current = fresh.throwsApiException().getObject();
            }
        }
    }
}
