package io.openlocal.kube.client;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Builds the one ApiClient a daemon uses, from its configuration. */
public final class KubeClients {

    private KubeClients() {
    }

    /**
     * An API client for, in order of precedence: an explicit server URL (no credentials: tests, a local
     * proxy), a kubeconfig file, or client-java's standard discovery ({@code $KUBECONFIG}, {@code ~/.kube/config},
     * then the in-cluster service account).
     *
     * <p>The read timeout is switched off because informers hold watch connections open for minutes; each
     * watch carries its own server-side timeout instead.
     */
    public static ApiClient create(Optional<String> url, Optional<Path> kubeconfig) throws IOException {
        return create(url, kubeconfig, Duration.ZERO);
    }

    /**
     * As {@link #create(Optional, Optional)}, with a read timeout: for a client that only makes short requests
     * (Events), so that an API server that stops answering cannot hold its caller forever. Zero is none.
     */
    public static ApiClient create(Optional<String> url, Optional<Path> kubeconfig, Duration readTimeout)
            throws IOException {
        ApiClient client;
        if (url.isPresent()) {
            client = new ClientBuilder().setBasePath(url.get()).build();
        } else if (kubeconfig.isPresent()) {
            try (Reader reader = Files.newBufferedReader(kubeconfig.get())) {
                client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
            }
        } else {
            client = ClientBuilder.standard().build();
        }
        client.setHttpClient(client.getHttpClient().newBuilder()
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS).build());
        return client;
    }
}
