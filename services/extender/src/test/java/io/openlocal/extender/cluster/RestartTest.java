package io.openlocal.extender.cluster;

import static io.openlocal.extender.cluster.ApiObjects.GI;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.util.ClientBuilder;
import io.openlocal.extender.ExtenderService;
import io.openlocal.extender.Http;
import io.openlocal.extender.Pods;
import io.openlocal.extender.Readiness;
import io.openlocal.extender.config.ExtenderConfig;
import io.openlocal.extender.wire.Json;
import io.openlocal.scheduling.claim.VolumeKind;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.ledger.NodeState;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A burst of pods goes through the extender as kube-scheduler and the CSI provisioner would drive it: filter →
 * prioritize → pick the best node → allocation request → selected-node annotation on the claims (API) → later,
 * for some claims, a PV and the claim bound (API). A third of the way in, the extender is killed with requests in
 * flight (its memory is gone) and a new one started against the same API server; two thirds in, it is stopped
 * again with the drivers held still, so the rebuilt ledger can be compared byte for byte with the old one. Each
 * rebuild must give exactly the ledger the API implies (PVs confirmed, annotated pending claims promised), and the
 * burst must end with no node overcommitted, checked from the API server's objects, not from the extender.
 */
class RestartTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    private static final int NODES = 20;
    private static final int PODS = 60;
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A driver step waits this long for the extender it is talking to, then starts the pod over (it may be dead). */
    private static final Duration STEP = Duration.ofSeconds(2);

    private final AtomicReference<ExtenderService> service = new AtomicReference<>();
    private final AtomicReference<Http> http = new AtomicReference<>();
    private final Map<String, Long> vgCapacity = new HashMap<>();
    private final Map<String, Integer> hddDevices = new HashMap<>();
    private final BlockingQueue<String[]> toProvision = new LinkedBlockingQueue<>();
    private final AtomicInteger podsDone = new AtomicInteger();
    private final AtomicInteger unschedulable = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger provisioned = new AtomicInteger();
    private final AtomicInteger rescheduled = new AtomicInteger();
    private volatile boolean pauseRequested;
    private final AtomicInteger paused = new AtomicInteger();
    private volatile boolean finished;

    @Test
    void killingTheExtenderMidBurstLosesNothingAndOvercommitsNothing() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < NODES; i++) {
            String node = "node-" + i;
            long vg = 30 + random.nextInt(40);
            int devices = random.nextInt(3);
            vgCapacity.put(node, vg * GI);
            hddDevices.put(node, devices);
            String[] devs = new String[devices];
            for (int d = 0; d < devices; d++) {
                devs[d] = "/dev/sd" + (char) ('b' + d) + ":" + (100 + random.nextInt(200)) + ":hdd";
            }
            api.create("/api/v1/nodes", ApiObjects.node(node));
            api.create("/apis/csi.aliyun.com/v1alpha1/nodelocalstorages", ApiObjects.nls(node, vg, devs));
        }
        api.create("/apis/storage.k8s.io/v1/storageclasses", ApiObjects.storageClass("open-local-lvm", "LVM", ""));
        api.create("/apis/storage.k8s.io/v1/storageclasses",
                ApiObjects.storageClass("open-local-device-hdd", "Device", ",\"mediaType\":\"hdd\""));
        startExtender();

        Thread scheduler = new Thread(() -> schedulePods(new Random(11)), "fake-kube-scheduler");
        Thread provisioner = new Thread(this::provisionVolumes, "fake-provisioner");
        scheduler.start();
        provisioner.start();

        // 1. Killed mid-burst: requests in flight fail, its memory is gone.
        Await.until("a third of the burst", Duration.ofSeconds(120), () -> podsDone.get() >= PODS / 3);
        service.get().close();
        events.add("KILL");
        Thread.sleep(200);
        startExtender();
        events.add("STARTED");
        pauseRequested = true;
        Await.until("drivers paused", Duration.ofSeconds(240), () -> paused.get() == 2);
        Await.until("rebuilt ledger equals the API's state", WAIT, () -> ledgerMatchesApi(service.get()));
        pauseRequested = false;

        // 2. Stopped with the drivers held still: the rebuilt ledger sets aside what the old one did, node by node.
        Await.until("two thirds of the burst", Duration.ofSeconds(120), () -> podsDone.get() >= 2 * PODS / 3);
        pauseRequested = true;
        Await.until("drivers paused", Duration.ofSeconds(240), () -> paused.get() == 2);
        Await.until("ledger equals the API's state", WAIT, () -> ledgerMatchesApi(service.get()));
        Map<String, Long> usedBeforeStop = usedPerNode(service.get());
        service.get().close();
        startExtender();
        Await.until("rebuilt ledger equals the API's state", WAIT, () -> ledgerMatchesApi(service.get()));
        Map<String, Long> usedAfterRestart = usedPerNode(service.get());
        assertThat(usedAfterRestart).as("LVM bytes set aside per node, before the stop and after the rebuild")
                .isEqualTo(withoutZeros(usedBeforeStop, usedAfterRestart));
        pauseRequested = false;

        scheduler.join(TimeUnit.SECONDS.toMillis(180));
        finished = true;
        provisioner.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(scheduler.isAlive()).isFalse();
        Await.until("ledger equals the API's state at the end", WAIT, () -> ledgerMatchesApi(service.get()));

        ApiState end = apiState();
        for (String node : vgCapacity.keySet()) {
            long lvm = end.lvmBytes.getOrDefault(node, 0L);
            assertThat(lvm).as("LVM bytes on %s (PVs and annotated claims)", node).isLessThanOrEqualTo(vgCapacity.get(node));
            assertThat(end.deviceClaims.getOrDefault(node, 0)).as("device claims on %s (PVs %s, annotated %s; "
                            + "ledger %s; log %s)", node, filterNode(end.confirmed(), node), filterNode(end.promised(),
                            node), ledgerOf(service.get(), node), events)
                    .isLessThanOrEqualTo(hddDevices.get(node));
        }
        for (NodeState state : service.get().ledger().states()) {
            Set<String> devices = new HashSet<>();
            for (Allocation a : state.allocations().values()) {
                if (a.kind() == VolumeKind.DEVICE) {
                    assertThat(devices.add(a.poolName())).as("device %s on %s given twice", a.poolName(),
                            state.nodeName()).isTrue();
                }
            }
        }
        long totalCapacity = vgCapacity.values().stream().mapToLong(Long::longValue).sum();
        long totalUsed = end.lvmBytes.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("restart burst: %d pods over %d nodes, %d unschedulable, %d retries (during the restart),"
                        + " %d claims provisioned, %d sent back to the scheduler; %d%% of LVM capacity set aside;"
                        + " no overcommit%n", PODS, NODES, unschedulable.get(), retries.get(), provisioned.get(),
                rescheduled.get(), 100 * totalUsed / totalCapacity);
        assertThat(unschedulable.get()).as("the burst asked for more than the cluster has").isPositive();
        service.get().close();
    }

    private void startExtender() throws Exception {
        ExtenderService fresh = new ExtenderService(ExtenderConfig.defaults().withHost("127.0.0.1").withPort(0),
                new Readiness());
        int port = fresh.start();
        assertThat(fresh.connect(new ClientBuilder().setBasePath(api.url()).build(), WAIT)).isTrue();
        service.set(fresh);
        http.set(new Http(port));
    }

    /** The fake kube-scheduler: one pod at a time, as kube-scheduler's scheduling cycle runs. */
    private void schedulePods(Random random) {
        for (int p = 0; p < PODS; p++) {
            checkpoint();
            String ns = "burst";
            String pod = "pod-" + p;
            List<String> claims = new ArrayList<>();
            int count = 1 + random.nextInt(2);
            for (int c = 0; c < count; c++) {
                String claim = pod + "-c" + c;
                boolean device = random.nextInt(5) == 0;
                createRetrying("/api/v1/namespaces/" + ns + "/persistentvolumeclaims", ApiObjects.pvc(ns, claim,
                        device ? "open-local-device-hdd" : "open-local-lvm", device ? 50 + random.nextInt(100)
                                : 5 + random.nextInt(25)));
                claims.add(claim);
            }
            createRetrying("/api/v1/namespaces/" + ns + "/pods", ApiObjects.pod(ns, pod, claims.toArray(String[]::new)));
            scheduleOne(ns, pod, claims);
            podsDone.incrementAndGet();
        }
    }

    /**
     * Creates an object as a controller would: a 5xx is retried, and 409 on a retry means the first attempt did
     * create it. The emulator answers 500 when a create races with the closing of a watch of the killed extender
     * (fabric8's watch executor is shutting down), after it has stored the object.
     */
    private void createRetrying(String collectionPath, String json) {
        createRetrying(collectionPath, json, false);
    }

    /** As above; {@code existingIsMine}: the name is derived from the work item, so 409 always means done. */
    private void createRetrying(String collectionPath, String json, boolean existingIsMine) {
        for (int attempt = 0; attempt < 50; attempt++) {
            HttpResponse<String> response = api.request("POST", collectionPath, json);
            int code = response.statusCode();
            if (code / 100 == 2 || ((attempt > 0 || existingIsMine) && code == 409)) {
                return;
            }
            if (code < 500) {
                throw new IllegalStateException("POST " + collectionPath + " -> " + code + ": " + response.body());
            }
            sleep(100);
        }
        throw new IllegalStateException("POST " + collectionPath + " kept failing with 5xx");
    }

    private void scheduleOne(String ns, String pod, List<String> claims) {
        List<String> nodes = new ArrayList<>(vgCapacity.keySet());
        nodes.sort(null);
        String args = Pods.args(Pods.pod(ns, pod, claims.toArray(String[]::new)), nodes);
        for (int attempt = 0; attempt < 400; attempt++) {
            try {
                ExtenderService current = service.get();
                // kube-scheduler's own volume binding waits for the claims to exist in its informer cache.
                Await.until("claims known", STEP, () -> claims.stream()
                        .allMatch(c -> current.catalog().claim(ns + "/" + c) != null)
                        && current.catalog().podUsing(ns + "/" + claims.getFirst()) != null);
                HttpResponse<String> filter = http.get().post("/scheduler/predicates", args);
                if (filter.statusCode() != 200) {
                    throw new IllegalStateException("filter " + filter.statusCode());
                }
                JsonNode passed = Json.mapper().readTree(filter.body()).get("NodeNames");
                if (passed.isEmpty()) {
                    unschedulable.incrementAndGet();
                    return;
                }
                List<String> candidates = new ArrayList<>();
                passed.forEach(n -> candidates.add(n.asText()));
                HttpResponse<String> prio = http.get().post("/scheduler/priorities",
                        Pods.args(Pods.pod(ns, pod, claims.toArray(String[]::new)), candidates));
                if (prio.statusCode() != 200) {
                    throw new IllegalStateException("prioritize " + prio.statusCode());
                }
                String best = null;
                long top = -1;
                for (JsonNode h : Json.mapper().readTree(prio.body())) {
                    if (h.get("Score").asLong() > top) {
                        top = h.get("Score").asLong();
                        best = h.get("Host").asText();
                    }
                }
                for (String claim : claims) {
                    HttpResponse<String> a = http.get().post("/apis/scheduling/" + ns + "/persistentvolumeclaims/"
                            + claim + "?nodeName=" + best, null);
                    if (a.statusCode() != 200) {
                        throw new IllegalStateException("allocate " + a.statusCode() + " " + a.body());
                    }
                }
                events.add("P " + pod + "->" + best + " gen" + System.identityHashCode(current));
                for (String claim : claims) { // kube-scheduler's PreBind
                    api.request("PATCH", "/api/v1/namespaces/" + ns + "/persistentvolumeclaims/" + claim,
                            ApiObjects.selectedNodePatch(best));
                }
                String chosen = best;
                Await.until("the extender saw the annotations", STEP, () -> claims.stream()
                        .allMatch(c -> chosen.equals(service.get().ledger().ownerOf(ns + "/" + c))));
                for (String claim : claims) {
                    toProvision.add(new String[] {ns, claim, chosen});
                }
                return;
            } catch (Exception | AssertionError e) {
                retries.incrementAndGet(); // the extender is down or restarting: try again, as a requeued pod
                sleep(50);
            }
        }
        throw new AssertionError("pod " + pod + " never got through");
    }

    /** The fake external-provisioner + CSI controller: provisions about half of the annotated claims. */
    private void provisionVolumes() {
        Random random = new Random(13);
        while (!finished || !toProvision.isEmpty()) {
            checkpoint();
            String[] item;
            try {
                item = toProvision.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (item == null || random.nextBoolean()) {
                continue; // left pending with its annotation: the rebuild must promise it again
            }
            String ns = item[0];
            String claim = item[1];
            String node = item[2];
            try {
                HttpResponse<String> r = http.get().post("/apis/scheduling/" + ns + "/persistentvolumeclaims/" + claim
                        + "?nodeName=" + node, null);
                if (r.statusCode() == 409 && r.body().startsWith("node " + node + ": ")) {
                    // No room on the node after all (a disk an older allocation chose turned out taken): as
                    // external-provisioner does on a final error for the node, the annotation goes, and the pod is
                    // scheduled again (here: left unscheduled, which the end state tolerates).
                    api.request("PATCH", "/api/v1/namespaces/" + ns + "/persistentvolumeclaims/" + claim,
                            ApiObjects.selectedNodePatch(null));
                    rescheduled.incrementAndGet();
                    continue;
                }
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("allocate " + r.statusCode() + " " + r.body());
                }
                JsonNode binding = Json.mapper().readTree(r.body());
                events.add("V " + claim + "@" + node + " " + r.body());
                boolean device = binding.get("volumeType").asText().equals("Device");
                long bytes = service.get().catalog().claim(ns + "/" + claim).requestedBytes();
                String pv = "pv-" + claim;
                createRetrying("/api/v1/persistentvolumes", ApiObjects.pv(pv, ns, claim, node,
                        device ? "Device" : "LVM", device ? "Device" : "vgName",
                        device ? binding.get("device").asText() : binding.get("vgName").asText(), bytes), true);
                api.request("PATCH", "/api/v1/namespaces/" + ns + "/persistentvolumeclaims/" + claim,
                        ApiObjects.boundPatch(pv));
                provisioned.incrementAndGet();
            } catch (Exception e) {
                toProvision.add(item); // extender down: CreateVolume is retried
                sleep(50);
            }
        }
    }

    private void checkpoint() {
        if (!pauseRequested) {
            return;
        }
        paused.incrementAndGet();
        while (pauseRequested) {
            sleep(5);
        }
        paused.decrementAndGet();
    }

    /** The API's view: PVs are confirmed allocations, annotated pending claims are promises. */
    private record ApiState(Map<String, String> confirmed, Map<String, String> promised, Map<String, Long> lvmBytes,
                            Map<String, Integer> deviceClaims) {
    }

    private ApiState apiState() throws Exception {
        Map<String, String> confirmed = new HashMap<>();
        Map<String, String> promised = new HashMap<>();
        Map<String, Long> lvm = new HashMap<>();
        Map<String, Integer> devices = new HashMap<>();
        Set<String> provisionedClaims = new HashSet<>();
        for (JsonNode pv : Json.mapper().readTree(api.request("GET", "/api/v1/persistentvolumes", null).body())
                .get("items")) {
            String claim = pv.at("/spec/claimRef/namespace").asText() + "/" + pv.at("/spec/claimRef/name").asText();
            String node = pv.at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0").asText();
            confirmed.put(claim, node);
            provisionedClaims.add(claim);
            if (pv.at("/spec/csi/volumeAttributes/volumeType").asText().equals("LVM")) {
                lvm.merge(node, pv.at("/spec/capacity/storage").asLong(), Long::sum);
            } else {
                devices.merge(node, 1, Integer::sum);
            }
        }
        for (JsonNode pvc : Json.mapper().readTree(api.request("GET",
                "/api/v1/namespaces/burst/persistentvolumeclaims", null).body()).get("items")) {
            String claim = "burst/" + pvc.at("/metadata/name").asText();
            JsonNode selected = pvc.at("/metadata/annotations/volume.kubernetes.io~1selected-node");
            if (selected.isMissingNode() || provisionedClaims.contains(claim)
                    || !pvc.at("/spec/volumeName").asText().isEmpty()) {
                continue;
            }
            promised.put(claim, selected.asText());
            if (pvc.at("/spec/storageClassName").asText().equals("open-local-lvm")) {
                long bytes = Long.parseLong(pvc.at("/spec/resources/requests/storage").asText().replace("Gi", "")) * GI;
                lvm.merge(selected.asText(), bytes, Long::sum);
            } else {
                devices.merge(selected.asText(), 1, Integer::sum);
            }
        }
        return new ApiState(confirmed, promised, lvm, devices);
    }

    private boolean ledgerMatchesApi(ExtenderService s) {
        try {
            ApiState state = apiState();
            Map<String, String> confirmed = new HashMap<>();
            Map<String, String> promised = new HashMap<>();
            for (NodeState node : s.ledger().states()) {
                for (Allocation a : node.allocations().values()) {
                    (a.promised() ? promised : confirmed).put(a.claimKey(), a.nodeName());
                }
            }
            return confirmed.equals(state.confirmed()) && promised.equals(state.promised());
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, Long> usedPerNode(ExtenderService s) {
        Map<String, Long> used = new HashMap<>();
        for (NodeState node : s.ledger().states()) {
            long sum = 0;
            for (Allocation a : node.allocations().values()) {
                if (a.kind() == VolumeKind.LVM) {
                    sum += a.allocatedBytes();
                }
            }
            used.put(node.nodeName(), sum);
        }
        return used;
    }

    /** Compares only nodes that hold something (a node may be tracked with nothing on it in one and not the other). */
    private static Map<String, Long> withoutZeros(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new HashMap<>();
        Set<String> keys = new HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (b.containsKey(k)) {
                out.put(k, a.getOrDefault(k, 0L));
            }
        }
        return out;
    }

    private static Map<String, String> filterNode(Map<String, String> claims, String node) {
        Map<String, String> out = new java.util.TreeMap<>();
        claims.forEach((c, n) -> {
            if (n.equals(node)) {
                out.put(c, n);
            }
        });
        return out;
    }

    private static List<String> ledgerOf(ExtenderService s, String node) {
        List<String> out = new ArrayList<>();
        for (NodeState state : s.ledger().states()) {
            if (state.nodeName().equals(node)) {
                state.allocations().values().forEach(a -> out.add(a.claimKey() + ":" + a.kind() + ":" + a.poolName()
                        + (a.promised() ? ":promised" : ":confirmed")));
            }
        }
        return out;
    }

    private final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
