package io.openlocal.csi.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.csi.claim.ClaimRef;
import io.openlocal.csi.claim.ProvisioningFailure;
import io.openlocal.csi.claim.Refusal;
import io.openlocal.csi.nodeapi.NodeDirectory;
import io.openlocal.csi.nodeapi.NodeStorage;
import io.openlocal.csi.nodeapi.ProvisionRequest;
import io.openlocal.kube.event.EventRecorder;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The queue between a failing CreateVolume and the API server: reporting never waits, a full queue drops (and
 * counts) instead of holding the CSI call, and an API server that cannot be reached is logged, not thrown.
 */
class ClaimEventPublisherTest {

    private static final String NS = "queue";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KubeApiEmulator API = new KubeApiEmulator();

    /** Nodes whose look-up waits for {@code open}: the worker is busy until the test lets it go. */
    private static NodeDirectory blockedUntil(CountDownLatch open) {
        return new NodeDirectory() {
            @Override
            public Optional<NodeStorage> node(String name) {
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty(); // gone meanwhile: the event carries the node's own message
            }

            @Override public List<String> nodeNames() { return List.of(); }
            @Override public Optional<String> defaultNode() { return Optional.empty(); }
        };
    }

    private static ProvisioningFailure full(String claim) {
        return new ProvisioningFailure.Refused(new ClaimRef(NS, claim), "node-q",
                new ProvisionRequest("local-" + claim, PoolType.LVM, 1L << 30, 0, Optional.of("pool-0"),
                        Optional.empty(), Map.of(), Map.of(), Optional.empty()),
                Refusal.NO_CAPACITY, "pool pool-0 on node node-q has 0 B free, 1.0 GiB needed");
    }

    private static List<String> claimsWithEvents() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode event : JSON.readTree(API.request("GET", "/api/v1/namespaces/" + NS + "/events", null).body())
                .path("items")) {
            names.add(event.path("involvedObject").path("name").asText());
        }
        return names;
    }

    @Test
    void reportingNeverWaitsAndAFullQueueDropsAndCountsWhatDoesNotFit() throws Exception {
        for (int i = 0; i < 10; i++) {
            API.create("/api/v1/namespaces/" + NS + "/persistentvolumeclaims", """
                    {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c%d","namespace":"%s"},
                     "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"""
                    .formatted(i, NS));
        }
        ApiClient client = ClientBuilder.standard().setBasePath(API.url()).build();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        CountDownLatch open = new CountDownLatch(1);
        EventRecorder recorder = new EventRecorder(client, ClaimEventPublisher.COMPONENT, "", Clock.systemUTC(),
                Duration.ofMinutes(10), Duration.ZERO);
        try (ClaimEventPublisher publisher = new ClaimEventPublisher(client, blockedUntil(open), recorder, 2,
                metrics)) {
            long start = System.nanoTime();
            publisher.report(full("c0"));
            // The worker takes c0 and waits on the node; c1 and c2 queue; the rest do not fit.
            Thread.sleep(200);
            for (int i = 1; i < 10; i++) {
                publisher.report(full("c" + i));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(metrics.get("openlocal.csi.claim.events.dropped").counter().count()).isEqualTo(7.0);

            open.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (claimsWithEvents().size() < 3) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(claimsWithEvents()).containsExactlyInAnyOrder("c0", "c1", "c2");
            assertThat(metrics.get("openlocal.csi.claim.events").tag("reason", "ProvisioningFailedNoSpace").counter()
                    .count()).isEqualTo(3.0);
        }
    }

    @Test
    void anUnreachableApiServerIsLoggedNotThrown() throws Exception {
        ApiClient nowhere = ClientBuilder.standard().setBasePath("http://127.0.0.1:1").build();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        CountDownLatch open = new CountDownLatch(0);
        EventRecorder recorder = new EventRecorder(nowhere, ClaimEventPublisher.COMPONENT, "");
        ClaimEventPublisher publisher = new ClaimEventPublisher(nowhere, blockedUntil(open), recorder, 4, metrics);
        publisher.report(full("c-nowhere"));
        publisher.close(); // waits for the queued report, which fails inside the worker
        publisher.report(full("c-after-close")); // refused quietly: the controller is stopping
        assertThat(metrics.find("openlocal.csi.claim.events").counter()).isNull();
        assertThat(metrics.get("openlocal.csi.claim.events.dropped").counter().count()).isZero();
    }
}
