package io.openlocal.csi.cluster;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.csi.claim.ClaimEvent;
import io.openlocal.csi.claim.ClaimRef;
import io.openlocal.csi.claim.FailureDiagnosis;
import io.openlocal.csi.claim.ProvisioningFailure;
import io.openlocal.csi.claim.ProvisioningFailures;
import io.openlocal.csi.nodeapi.NodeDirectory;
import io.openlocal.kube.event.EventRecorder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records provisioning failures as Warning Events on their PersistentVolumeClaims, off the CSI call's thread: a
 * report is queued (bounded; a full queue drops the report and counts it) and one worker reads the claim (for its
 * uid, which {@code kubectl describe pvc} matches events by), reads the chosen node's pools, and writes the event
 * through {@link EventRecorder}, which folds repeats of the same failure into one event's count. Nothing here
 * throws into, or waits inside, a CSI call.
 */
public final class ClaimEventPublisher implements ProvisioningFailures, AutoCloseable {

    /** The Events' source component. */
    public static final String COMPONENT = "open-local-csi-controller";

    private static final Logger LOG = Logger.getLogger(ClaimEventPublisher.class.getName());

    private final GenericKubernetesApi<V1PersistentVolumeClaim, V1PersistentVolumeClaimList> claims;
    private final NodeDirectory nodes;
    private final EventRecorder recorder;
    private final ThreadPoolExecutor worker;
    private final MeterRegistry metrics;
    private final Counter dropped;

    /**
     * @param client   for reading claims (the recorder has its own)
     * @param capacity reports that may wait for the worker; more are dropped
     */
    public ClaimEventPublisher(ApiClient client, NodeDirectory nodes, EventRecorder recorder, int capacity,
                               MeterRegistry metrics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.claims = new GenericKubernetesApi<>(V1PersistentVolumeClaim.class, V1PersistentVolumeClaimList.class,
                "", "v1", "persistentvolumeclaims", client);
        this.nodes = nodes;
        this.recorder = recorder;
        this.metrics = metrics;
        this.dropped = Counter.builder("openlocal.csi.claim.events.dropped")
                .description("Claim events not recorded because the queue to the API server was full")
                .register(metrics);
        FunctionCounter.builder("openlocal.csi.claim.event.failures", recorder, EventRecorder::failures)
                .description("Claim events the API server did not accept (see the log)")
                .register(metrics);
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                task -> {
                    Thread thread = new Thread(task, "claim-events");
                    thread.setDaemon(true);
                    return thread;
                },
                (task, executor) -> {
                    if (executor.isShutdown()) {
                        LOG.fine("claim event not queued: the CSI controller is stopping");
                        return;
                    }
                    dropped.increment();
                    LOG.warning("claim event dropped: " + capacity + " reports are already waiting for the API"
                            + " server");
                });
    }

    @Override
    public void report(ProvisioningFailure failure) {
        // Never blocks: a full queue or a stopped worker goes to the rejection handler above.
        worker.execute(() -> publish(failure));
    }

    private void publish(ProvisioningFailure failure) {
        try {
            Optional<List<PoolInfo>> pools = failure instanceof ProvisioningFailure.Refused refused
                    ? poolsOf(refused.node()) : Optional.empty();
            Optional<ClaimEvent> event = FailureDiagnosis.explain(failure, pools);
            if (event.isEmpty()) {
                return;
            }
            Optional<V1PersistentVolumeClaim> claim = claim(failure.claim());
            if (claim.isEmpty()) {
                return;
            }
            recorder.warning(claim.get(), event.get().reason().wireName(), event.get().message());
            Counter.builder("openlocal.csi.claim.events")
                    .description("Warning Events recorded on claims for provisioning failures, by reason")
                    .tag("reason", event.get().reason().wireName())
                    .register(metrics)
                    .increment();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot record the provisioning failure of claim " + failure.claim(), e);
        }
    }

    /** The node's pools now, or empty when the node cannot say (the event then carries the node's message). */
    private Optional<List<PoolInfo>> poolsOf(String node) {
        try {
            return nodes.node(node).map(n -> n.pools(Optional.empty()));
        } catch (RuntimeException e) {
            LOG.fine("pools of node " + node + " for a claim event: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The claim to hang the event on: as read from the API server, with its uid; without the uid when it cannot
     * be read (no permission, API server trouble), so the event is still listed by name; empty when the claim is
     * gone, since nobody is left to tell.
     */
    private Optional<V1PersistentVolumeClaim> claim(ClaimRef ref) {
        V1ObjectMeta meta = new V1ObjectMeta().namespace(ref.namespace()).name(ref.name());
        KubernetesApiResponse<V1PersistentVolumeClaim> response = claims.get(ref.namespace(), ref.name());
        if (response.getHttpStatusCode() == 404) {
            LOG.fine("claim " + ref + " is gone: no event");
            return Optional.empty();
        }
        if (response.isSuccess() && response.getObject() != null && response.getObject().getMetadata() != null) {
            meta.uid(response.getObject().getMetadata().getUid())
                    .resourceVersion(response.getObject().getMetadata().getResourceVersion());
        } else {
            LOG.fine("cannot read claim " + ref + " (HTTP " + response.getHttpStatusCode() + "): event without uid");
        }
        return Optional.of(new V1PersistentVolumeClaim().apiVersion("v1").kind("PersistentVolumeClaim")
                .metadata(meta));
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            // Reports already queued get a moment to reach the API server; a hung one does not hold the stop.
            if (!worker.awaitTermination(2, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
