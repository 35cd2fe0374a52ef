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

    /**
     * What a publish did, and the object as the API server now holds it (null when it is gone): the next write
     * should start from it, since the informer may not have seen this one yet.
     */
    public record Published(Outcome outcome, NodeLocalStorage object) {
    }

    public Outcome publish(NodeLocalStorage seen, NodeLocalStorageStatus desired) throws ApiException {
        return publishReturning(seen, desired).outcome();
    }

    public Published publishReturning(NodeLocalStorage seen, NodeLocalStorageStatus desired) throws ApiException {
        NodeLocalStorage current = seen;
        for (int attempt = 1; ; attempt++) {
            if (StatusComparison.sameIgnoringTimes(current.getStatus(), desired)) {
                return new Published(Outcome.UNCHANGED, current);
            }
            NodeLocalStorage update = new NodeLocalStorage(current.getMetadata(), current.getSpec(), desired);
            try {
                return new Published(Outcome.WRITTEN, Crds.replaceStatus(client, update));
            } catch (ApiException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return new Published(Outcome.GONE, null);
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                conflicts++;
                KubernetesApiResponse<NodeLocalStorage> fresh = api.get(current.getMetadata().getName());
                if (fresh.getHttpStatusCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return new Published(Outcome.GONE, null);
                }
                current = fresh.throwsApiException().getObject();
            }
        }
    }
}
