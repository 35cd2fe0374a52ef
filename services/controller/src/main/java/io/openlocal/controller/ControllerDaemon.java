package io.openlocal.controller;

import io.helidon.health.HealthCheckType;
import io.kubernetes.client.openapi.ApiClient;
import io.openlocal.controller.kube.ControllerLoop;
import io.openlocal.controller.leader.LeaderLoop;
import io.openlocal.controller.server.ControllerMetrics;
import io.openlocal.observe.ObserveServer;
import io.openlocal.kube.client.KubeClients;
import io.openlocal.kube.event.EventRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Wires the controller ({@code open-local controller}) and starts it: leader election on a Lease, and while
 * leading a {@link ControllerLoop} (informers, work queue, workers); the health/metrics server runs on every
 * instance. The launcher calls {@link #start(ControllerConfig)} and closes the handle on shutdown.
 */
public final class ControllerDaemon {

    private ControllerDaemon() {
    }

    public static ControllerHandle start(ControllerConfig config) {
        try {
            return start(config, KubeClients.create(config.kubeUrl(), config.kubeconfig()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the Kubernetes client: " + e.getMessage(), e);
        }
    }

    public static ControllerHandle start(ControllerConfig config, ApiClient client) {
        ControllerMetrics metrics = new ControllerMetrics();
        EventRecorder events = new EventRecorder(client, "open-local-controller", config.identity());
        ControllerHandle.Work work = new ControllerHandle.Work(() -> new ControllerLoop(client, config, events,
                metrics), metrics);
        LeaderLoop leader = config.leaderElection()
                ? new LeaderLoop(client, config.leaseNamespace(), config.leaseName(), config.identity(),
                        config.leaseDuration(), config.renewDeadline(), config.retryPeriod(), work::start, work::stop)
                : null;
        ObserveServer server = new ObserveServer(config.serverHost(), config.serverPort(), List.of(
                new ObserveServer.Check("leaderWork", HealthCheckType.READINESS, work::readinessProblem),
                new ObserveServer.Check("election", HealthCheckType.LIVENESS, () -> null)),
                metrics::scrape);
        ControllerHandle handle = new ControllerHandle(work, leader, server, metrics);
        if (leader == null) {
            work.start();
        } else {
            leader.start();
        }
        return handle;
    }
}
