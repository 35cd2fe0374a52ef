package io.openlocal.controller.reconcile;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.options.DeleteOptions;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageList;
import java.net.HttpURLConnection;

/**
 * Carries out a planned action through the API server. The spec is replaced with a JSON patch on
 * {@code /spec} only, never a PUT of the whole object, so the agent's status is never written by the controller
 * (the emulator used in tests would even overwrite it with a PUT's copy). A delete is guarded by the NLS's uid,
 * so an NLS recreated meanwhile is not deleted by a stale decision.
 */
public final class NlsWriter {

    /** How a write ended. */
    public enum Result { DONE, ALREADY_DONE, RETRY }

    private final ApiClient client;
    private final GenericKubernetesApi<NodeLocalStorage, NodeLocalStorageList> api;

    public NlsWriter(ApiClient client) {
        this.client = client;
        this.api = Crds.nodeLocalStorages(client);
    }

    public Result apply(NlsPlanner.Action action) throws ApiException {
        return switch (action) {
            case NlsPlanner.Create c -> create(c);
            case NlsPlanner.Update u -> update(u);
            case NlsPlanner.Delete d -> delete(d);
            case NlsPlanner.Leave l -> Result.ALREADY_DONE;
        };
    }

    private Result create(NlsPlanner.Create c) throws ApiException {
        KubernetesApiResponse<NodeLocalStorage> r = api.create(new NodeLocalStorage(new V1ObjectMeta().name(c.name()),
                c.spec(), null));
        if (r.getHttpStatusCode() == HttpURLConnection.HTTP_CONFLICT) {
            return Result.RETRY; // the cache has not seen it yet; the next look decides
        }
        r.throwsApiException();
        return Result.DONE;
    }

    private Result update(NlsPlanner.Update u) throws ApiException {
        String spec = client.getJSON().serialize(u.spec());
        // "add" on an existing member replaces it (RFC 6902), and works on an NLS that has no spec at all.
        String patch = "[{\"op\":\"add\",\"path\":\"/spec\",\"value\":" + spec + "}]";
        KubernetesApiResponse<NodeLocalStorage> r = api.patch(u.name(), V1Patch.PATCH_FORMAT_JSON_PATCH,
                new V1Patch(patch));
        if (r.getHttpStatusCode() == HttpURLConnection.HTTP_NOT_FOUND) {
            return Result.RETRY;
        }
        r.throwsApiException();
        return Result.DONE;
    }

    private Result delete(NlsPlanner.Delete d) throws ApiException {
        DeleteOptions options = new DeleteOptions();
        options.setPreconditions(new V1Preconditions().uid(d.uid()));
        KubernetesApiResponse<NodeLocalStorage> r = api.delete(d.name(), options);
        if (r.getHttpStatusCode() == HttpURLConnection.HTTP_NOT_FOUND) {
            return Result.ALREADY_DONE;
        }
        if (r.getHttpStatusCode() == HttpURLConnection.HTTP_CONFLICT) {
            return Result.RETRY;
        }
        r.throwsApiException();
        return Result.DONE;
    }
}
