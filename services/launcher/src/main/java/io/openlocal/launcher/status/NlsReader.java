package io.openlocal.launcher.status;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.openlocal.kube.client.KubeClients;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Lists every NodeLocalStorage once; failures become one {@link StatusException} line naming the server. */
public final class NlsReader {

    private final ApiClient client;
    private final String where;

    private NlsReader(ApiClient client, String where) {
        this.client = client;
        this.where = where;
    }

    /** A reader for {@code master} (no credentials) or {@code kubeconfig}, else client-java's standard discovery. */
    public static NlsReader connect(Optional<String> master, Optional<Path> kubeconfig) {
        master.ifPresent(NlsReader::requireHttpUrl);
        kubeconfig.ifPresent(file -> {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new StatusException("--kubeconfig " + file + ": no such file");
            }
        });
        ApiClient client;
        try {
            client = KubeClients.create(master, kubeconfig);
        } catch (RuntimeException e) {
            // client-java casts the parsed YAML without checking it; a file that is not a kubeconfig ends here.
            throw new StatusException(kubeconfig.map(p -> "--kubeconfig " + p + ": not a usable kubeconfig (")
                    .orElse("cannot build a Kubernetes client (") + rootMessage(e) + ")");
        } catch (IOException e) {
            throw new StatusException("cannot build a Kubernetes client from "
                    + kubeconfig.map(p -> "kubeconfig " + p).orElse(master.map(m -> "--master " + m)
                    .orElse("$KUBECONFIG, ~/.kube/config or the in-cluster account")) + ": " + rootMessage(e));
        }
        // A one-shot command: fail in seconds rather than wait like an informer's watch.
        client.setHttpClient(client.getHttpClient().newBuilder().connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(20, TimeUnit.SECONDS).build());
        return new NlsReader(client, client.getBasePath());
    }

    public List<NodeLocalStorage> list() {
        KubernetesApiResponse<NodeLocalStorageList> response;
        try {
            response = Crds.nodeLocalStorages(client).list();
        } catch (RuntimeException e) {
            throw new StatusException("cannot reach the API server at " + where + ": " + rootMessage(e));
        }
        if (!response.isSuccess()) {
            int code = response.getHttpStatusCode();
            String message = response.getStatus() == null ? "" : response.getStatus().getMessage();
            if (code == 0) {
                throw new StatusException("cannot reach the API server at " + where + ": " + message);
            }
            if (code == 404) {
                throw new StatusException("the API server at " + where + " has no NodeLocalStorage resource "
                        + "(csi.aliyun.com/v1alpha1 CRD not installed?)");
            }
            throw new StatusException("listing NodeLocalStorage at " + where + " failed: HTTP " + code
                    + (message == null || message.isEmpty() ? "" : " " + message));
        }
        List<NodeLocalStorage> items = response.getObject() == null ? null : response.getObject().getItems();
        return items == null ? List.of() : items;
    }

    private static void requireHttpUrl(String master) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(master);
        } catch (java.net.URISyntaxException e) {
            throw new StatusException("--master " + master + ": not a URL (" + e.getReason() + ")");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new StatusException("--master " + master + ": expected http://HOST:PORT or https://HOST:PORT");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
