package io.openlocal.scheduling.selection;

import static io.openlocal.scheduling.Fixtures.GI;
import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.claim.VolumeKind;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.ledger.NodeState;
import io.openlocal.scheduling.node.ExclusiveDisk;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import io.openlocal.scheduling.placement.Placer;
import io.openlocal.scheduling.placement.Strategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 10,000 pods with local claims arrive together over 5,000 nodes and go through filter → prioritize → pick the
 * best → reserve on 8 threads at once, as 8 scheduler replicas racing would (binpack, the default strategy; spread
 * runs the same at a fifth of the size, to keep the test to a few seconds of CPU). Each filter call names a window of
 * 500 nodes, as kube-scheduler samples (percentageOfNodesToScore) before asking its extenders. A reservation
 * that lost a race is retried like a requeued pod. Afterwards the ledger is checked from its raw allocations:
 * no pool past its capacity, no disk given twice, every claim of every scheduled pod on exactly one node.
 */
class BurstTest {

    private static final int WINDOW = 500;
    private static final int THREADS = 8;
    private static final int ATTEMPTS = 5;

    @Test
    void tenThousandPodsOverFiveThousandNodesNeverOvercommitAnything() throws Exception {
        runBurst(Strategy.BINPACK, 10_000, 5_000);
    }

    @Test
    void aSpreadBurstNeverOvercommitsEither() throws Exception {
        runBurst(Strategy.SPREAD, 2_000, 1_000);
    }

    private void runBurst(Strategy strategy, int pods, int nodes) throws Exception {
        Random random = new Random(42);
        AllocationLedger ledger = new AllocationLedger(new Placer(strategy));
        List<String> nodeNames = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            String name = "node-" + i;
            nodeNames.add(name);
            ledger.putCapacity(randomNode(name, random));
        }
        ConcurrentLinkedQueue<PodRequest> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < pods; i++) {
            queue.add(randomPod(i, random));
        }
        NodeSelector selector = new NodeSelector(ledger);
        AtomicInteger scheduled = new AtomicInteger();
        AtomicInteger unschedulable = new AtomicInteger();
        AtomicInteger lostRaces = new AtomicInteger();
        AtomicInteger claimsPlaced = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random own = new Random(1000 + t);
            workers.add(pool.submit(() -> {
                start.await();
                PodRequest pod;
                while ((pod = queue.poll()) != null) {
                    boolean done = false;
                    for (int attempt = 0; attempt < ATTEMPTS && !done; attempt++) {
                        List<String> window = window(nodeNames, own.nextInt(nodeNames.size()));
                        FilterOutcome outcome = selector.filter(pod, window);
                        if (outcome.passed().isEmpty()) {
                            break;
                        }
                        long[] scores = selector.prioritize(pod, outcome.passed());
                        String best = best(outcome.passed(), scores, own);
                        try {
                            List<Allocation> got = ledger.reserve(pod, best, 600_000);
                            claimsPlaced.addAndGet(got.size());
                            done = true;
                        } catch (StorageException.OutOfCapacity | StorageException.AlreadyExists lost) {
                            lostRaces.incrementAndGet();
                        }
                    }
                    (done ? scheduled : unschedulable).incrementAndGet();
                }
                return null;
            }));
        }
        long cpuBefore = processCpuNanos();
        long t0 = System.nanoTime();
        start.countDown();
        for (Future<?> w : workers) {
            w.get();
        }
        long wallNanos = System.nanoTime() - t0;
        long cpuNanos = processCpuNanos() - cpuBefore;
        pool.shutdown();

        // Check from the raw allocations, not from the node states' own sums.
        int overcommittedPools = 0;
        int nearlyFullPools = 0;
        long lvmCapacity = 0;
        long lvmUsed = 0;
        int doubleUsedDisks = 0;
        Set<String> seenClaims = new HashSet<>();
        int duplicateClaims = 0;
        for (NodeState node : ledger.states()) {
            Map<String, Long> poolUse = new HashMap<>();
            Map<String, Integer> diskUse = new HashMap<>();
            for (Allocation a : node.allocations().values()) {
                duplicateClaims += seenClaims.add(a.claimKey()) ? 0 : 1;
                assertThat(a.nodeName()).isEqualTo(node.nodeName());
                if (a.kind().shared()) {
                    poolUse.merge(a.kind() + "/" + a.poolName(), a.allocatedBytes(), Long::sum);
                } else {
                    diskUse.merge(a.kind() + "/" + a.poolName(), 1, Integer::sum);
                }
            }
            for (SharedPool vg : node.capacity().volumeGroups()) {
                long use = poolUse.getOrDefault(VolumeKind.LVM + "/" + vg.name(), 0L);
                if (use > vg.capacityBytes()) {
                    overcommittedPools++;
                }
                if (vg.capacityBytes() - use < 5 * GI) {
                    nearlyFullPools++;
                }
                lvmCapacity += vg.capacityBytes();
                lvmUsed += use;
            }
            for (Map.Entry<String, Integer> e : diskUse.entrySet()) {
                doubleUsedDisks += e.getValue() > 1 ? 1 : 0;
            }
            for (String key : poolUse.keySet()) {
                assertThat(node.capacity().volumeGroups().stream().anyMatch(v -> key.equals("LVM/" + v.name())))
                        .as("allocation on a pool the node does not have: %s", key).isTrue();
            }
        }
        double seconds = wallNanos / 1e9;
        System.out.printf("burst[%s]: %d pods over %d nodes (window %d) on %d threads: %d scheduled, %d unschedulable,"
                        + " %d lost races retried; %.0f decisions/s (%.2f s wall, %.2f s CPU); %d claims placed,"
                        + " %d pools with < 5 GiB left, %.0f%% of LVM capacity promised%n",
                strategy.flagValue(), pods, nodes, WINDOW, THREADS, scheduled.get(), unschedulable.get(),
                lostRaces.get(), (scheduled.get() + unschedulable.get()) / seconds, seconds, cpuNanos / 1e9,
                claimsPlaced.get(), nearlyFullPools, 100.0 * lvmUsed / lvmCapacity);
        assertThat(overcommittedPools).as("overcommitted pools").isZero();
        assertThat(doubleUsedDisks).as("disks given twice").isZero();
        assertThat(duplicateClaims).as("claims on two nodes").isZero();
        assertThat(scheduled.get() + unschedulable.get()).isEqualTo(pods);
        assertThat(seenClaims).hasSize(claimsPlaced.get());
        assertThat(ledger.claimKeys()).hasSize(claimsPlaced.get());
        // The burst filled the cluster: many pools are (nearly) full and some pods found no room.
        assertThat(unschedulable.get()).isPositive();
        assertThat((double) lvmUsed / lvmCapacity).as("share of LVM capacity promised").isGreaterThan(0.5);
    }

    private static NodeCapacity randomNode(String name, Random random) {
        // Sized so the burst asks for more LVM space than the cluster has: nodes fill up and pods go unscheduled.
        List<SharedPool> vgs = List.of(new SharedPool("vg0", (20 + random.nextInt(100)) * GI),
                new SharedPool("vg1", (10 + random.nextInt(60)) * GI));
        List<ExclusiveDisk> devices = new ArrayList<>();
        int count = random.nextInt(4);
        for (int d = 0; d < count; d++) {
            devices.add(new ExclusiveDisk("/dev/sd" + (char) ('b' + d), (100 + random.nextInt(900)) * GI,
                    random.nextBoolean() ? MediaType.SSD : MediaType.HDD));
        }
        return new NodeCapacity(name, vgs, List.of(), devices, List.of());
    }

    private static PodRequest randomPod(int i, Random random) {
        List<ClaimRequest> claims = new ArrayList<>();
        String ns = "ns" + (i % 17);
        int shape = random.nextInt(10);
        int lvmClaims = shape < 7 ? 1 + random.nextInt(3) : shape < 9 ? 0 : 1;
        int deviceClaims = shape < 7 ? 0 : 1 + (random.nextInt(4) == 0 ? 1 : 0);
        for (int c = 0; c < lvmClaims; c++) {
            String vg = random.nextInt(5) == 0 ? "vg0" : null;
            claims.add(new ClaimRequest(ns + "/pod-" + i + "-lvm-" + c, VolumeKind.LVM,
                    (5 + random.nextInt(95)) * GI, vg, null));
        }
        for (int c = 0; c < deviceClaims; c++) {
            MediaType media = random.nextBoolean() ? MediaType.SSD : MediaType.HDD;
            claims.add(new ClaimRequest(ns + "/pod-" + i + "-dev-" + c, VolumeKind.DEVICE,
                    (50 + random.nextInt(500)) * GI, null, media));
        }
        return new PodRequest(ns + "/pod-" + i, claims);
    }

    private static List<String> window(List<String> nodes, int start) {
        List<String> window = new ArrayList<>(WINDOW);
        for (int k = 0; k < Math.min(WINDOW, nodes.size()); k++) {
            window.add(nodes.get((start + k) % nodes.size()));
        }
        return window;
    }

    private static String best(List<String> nodes, long[] scores, Random random) {
        long top = -1;
        int ties = 0;
        String chosen = null;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > top) {
                top = scores[i];
                chosen = nodes.get(i);
                ties = 1;
            } else if (scores[i] == top && random.nextInt(++ties) == 0) {
                chosen = nodes.get(i); // kube-scheduler breaks ties at random too
            }
        }
        return chosen;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
