package io.openlocal.kube.client;

import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import java.util.concurrent.Executors;

/** The informer factory every daemon uses. */
public final class Informers {

    private Informers() {
    }

    /**
     * A factory that starts its informers on virtual threads. client-java's default is a cached pool whose
     * platform threads only launch each informer (which then runs on threads of its own) and stay idle for a
     * minute afterwards: one resident thread stack per informer in a daemon that should idle small.
     */
    public static SharedInformerFactory factory(ApiClient client) {
        return new SharedInformerFactory(client, Executors.newVirtualThreadPerTaskExecutor(), false);
    }
}
