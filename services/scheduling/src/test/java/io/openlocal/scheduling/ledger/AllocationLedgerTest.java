package io.openlocal.scheduling.ledger;

import static io.openlocal.backend.pool.MediaType.HDD;
import static io.openlocal.scheduling.Fixtures.GI;
import static io.openlocal.scheduling.Fixtures.device;
import static io.openlocal.scheduling.Fixtures.lvm;
import static io.openlocal.scheduling.Fixtures.node;
import static io.openlocal.scheduling.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.claim.VolumeKind;
import io.openlocal.scheduling.placement.Placer;
import io.openlocal.scheduling.placement.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AllocationLedgerTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AllocationLedger ledger = new AllocationLedger(new Placer(Strategy.BINPACK), clock::get);

    AllocationLedgerTest() {
        ledger.putCapacity(node("n1").vg("vg", 100).device("/dev/sdb", 50, HDD).build());
        ledger.putCapacity(node("n2").vg("vg", 100).build());
    }

    @Test
    void reservingTheSamePodTwiceReturnsTheSameAllocations() {
        PodRequest pod = pod("ns/p", lvm("ns/a", 10), device("ns/d", 10, HDD));
        List<Allocation> first = ledger.reserve(pod, "n1", 60_000);
        List<Allocation> again = ledger.reserve(pod, "n1", 60_000);
        assertThat(again).containsExactlyInAnyOrderElementsOf(first);
        assertThat(ledger.state("n1").usedBytes(false, 0)).isEqualTo(10 * GI);
        assertThat(ledger.state("n1").diskHolder(false, 0)).isEqualTo("ns/d");
    }

    @Test
    void aClaimPromisedToOneNodeCannotBePromisedToAnother() {
        ledger.reserve(pod("ns/p", lvm("ns/a", 10)), "n1", 60_000);
        assertThatThrownBy(() -> ledger.reserve(pod("ns/p", lvm("ns/a", 10)), "n2", 60_000))
                .isInstanceOf(StorageException.AlreadyExists.class).hasMessageContaining("node n1");
        assertThat(ledger.state("n2").allocations()).isEmpty();
    }

    @Test
    void aReservationThatDoesNotFitChangesNothing() {
        assertThatThrownBy(() -> ledger.reserve(pod("ns/p", lvm("ns/a", 60), lvm("ns/b", 60)), "n1", 60_000))
                .isInstanceOf(StorageException.OutOfCapacity.class).hasMessageContaining("node n1");
        assertThat(ledger.state("n1").allocations()).isEmpty();
        assertThat(ledger.ownerOf("ns/a")).isNull();
    }

    @Test
    void aNodeWithoutNodeLocalStorageCannotBeReservedOn() {
        assertThatThrownBy(() -> ledger.reserve(pod("ns/p", lvm("ns/a", 1)), "n9", 60_000))
                .isInstanceOf(StorageException.NotFound.class).hasMessageContaining("n9");
    }

    @Test
    void confirmingAVolumeReplacesThePromiseAndKeepsThePod() {
        ledger.reserve(pod("ns/p", lvm("ns/a", 10)), "n1", 60_000);
        ledger.confirm(volume("ns/a", "n1", "vg", 12 * GI, "pv-a"));
        Allocation a = ledger.allocation("ns/a");
        assertThat(a.status()).isEqualTo(Allocation.Status.CONFIRMED);
        assertThat(a.podKey()).isEqualTo("ns/p");
        assertThat(a.volumeName()).isEqualTo("pv-a");
        assertThat(ledger.state("n1").usedBytes(false, 0)).isEqualTo(12 * GI);
    }

    /**
     * An extender restarted between the allocation that chose a disk and the PV naming it: its rebuilt promise
     * for another claim may sit on that disk. The PV wins; the promise gives way, so the disk is not counted once
     * for two claims (which would leave another disk looking free).
     */
    @Test
    void aVolumeOnADiskPromisedToAnotherClaimDisplacesThatPromise() {
        ledger.reserve(pod("ns/p", device("ns/d", 10, HDD)), "n1", 60_000);
        assertThat(ledger.state("n1").diskHolder(false, 0)).isEqualTo("ns/d");
        List<String> displaced = ledger.confirm(new Allocation("ns/e", "", "n1", VolumeKind.DEVICE, "/dev/sdb",
                10 * GI, 50 * GI, Allocation.Status.CONFIRMED, "pv-e", 0));
        assertThat(displaced).containsExactly("ns/d");
        assertThat(ledger.ownerOf("ns/d")).isNull();
        assertThat(ledger.state("n1").diskHolder(false, 0)).isEqualTo("ns/e");
        // The node is full now: the displaced claim cannot be promised there again.
        assertThatThrownBy(() -> ledger.reserve(pod("ns/p", device("ns/d", 10, HDD)), "n1", 60_000))
                .isInstanceOf(StorageException.OutOfCapacity.class);
        // Confirming the same volume again displaces nothing.
        assertThat(ledger.confirm(new Allocation("ns/e", "", "n1", VolumeKind.DEVICE, "/dev/sdb", 10 * GI, 50 * GI,
                Allocation.Status.CONFIRMED, "pv-e", 0))).isEmpty();
    }

    @Test
    void aVolumeProvisionedOnAnotherNodeMovesTheClaimThere() {
        ledger.reserve(pod("ns/p", lvm("ns/a", 10)), "n1", 60_000);
        ledger.confirm(volume("ns/a", "n2", "vg", 10 * GI, "pv-a"));
        assertThat(ledger.ownerOf("ns/a")).isEqualTo("n2");
        assertThat(ledger.state("n1").allocations()).isEmpty();
        assertThat(ledger.state("n2").usedBytes(false, 0)).isEqualTo(10 * GI);
    }

    @Test
    void releasingAPromiseLeavesAConfirmedVolumeAlone() {
        ledger.confirm(volume("ns/a", "n1", "vg", 10 * GI, "pv-a"));
        assertThat(ledger.releasePromise("ns/a")).isFalse();
        assertThat(ledger.releaseVolume("ns/a", "pv-other")).isFalse();
        assertThat(ledger.releaseVolume("ns/a", "pv-a")).isTrue();
        assertThat(ledger.ownerOf("ns/a")).isNull();
        assertThat(ledger.state("n1").usedBytes(false, 0)).isZero();
    }

    @Test
    void expiredPromisesLapseUnlessStillWanted() {
        ledger.reserve(pod("ns/p", lvm("ns/a", 10)), "n1", 1_000);
        ledger.reserve(pod("ns/q", lvm("ns/b", 10)), "n1", 1_000);
        ledger.confirm(volume("ns/c", "n1", "vg", 5 * GI, "pv-c"));
        assertThat(ledger.expirePromises(a -> false, 1_000)).isZero(); // not due yet
        clock.addAndGet(1_000);
        int dropped = ledger.expirePromises(a -> a.claimKey().equals("ns/b"), 5_000);
        assertThat(dropped).isEqualTo(1);
        assertThat(ledger.ownerOf("ns/a")).isNull();
        assertThat(ledger.allocation("ns/b").expiresAtMillis()).isEqualTo(clock.get() + 5_000);
        assertThat(ledger.allocation("ns/c").status()).isEqualTo(Allocation.Status.CONFIRMED);
    }

    @Test
    void newNodeCapacityKeepsAllocations() {
        ledger.reserve(pod("ns/p", lvm("ns/a", 10)), "n1", 60_000);
        ledger.putCapacity(node("n1").vg("vg", 200).build());
        assertThat(ledger.state("n1").usedBytes(false, 0)).isEqualTo(10 * GI);
        ledger.removeCapacity("n1");
        assertThat(ledger.state("n1").hasCapacity()).isFalse();
        assertThat(ledger.allocation("ns/a")).isNotNull();
    }

    @Test
    void aNodeWithoutNodeLocalStorageIsForgottenOnceItHoldsNothing() {
        ledger.confirm(volume("ns/a", "n1", "vg", 10 * GI, "pv-a"));
        ledger.reserve(pod("ns/p", lvm("ns/b", 10)), "n1", 1_000);
        ledger.removeCapacity("n1"); // its NLS is gone; its volume and a promise remain
        assertThat(ledger.state("n1")).isNotNull();
        assertThat(ledger.releaseVolume("ns/a", "pv-a")).isTrue();
        assertThat(ledger.state("n1")).isNotNull(); // the promise still holds it
        clock.addAndGet(1_000);
        assertThat(ledger.expirePromises(a -> false, 1_000)).isEqualTo(1);
        assertThat(ledger.state("n1")).isNull();
        assertThat(ledger.nodeCount()).isEqualTo(1);

        // A node that keeps its NLS stays, empty; one with neither an NLS nor allocations goes at once.
        ledger.reserve(pod("ns/q", lvm("ns/c", 10)), "n2", 60_000);
        assertThat(ledger.releasePromise("ns/c")).isTrue();
        assertThat(ledger.state("n2")).isNotNull();
        ledger.removeCapacity("n2");
        assertThat(ledger.state("n2")).isNull();
        assertThat(ledger.nodeCount()).isZero();

        // A PV on a node the ledger had forgotten brings it back, and it can be forgotten again.
        ledger.confirm(volume("ns/d", "n2", "vg", 1 * GI, "pv-d"));
        assertThat(ledger.state("n2").hasCapacity()).isFalse();
        assertThat(ledger.releaseVolume("ns/d", "pv-d")).isTrue();
        assertThat(ledger.state("n2")).isNull();
    }

    @Test
    void concurrentReservationsOnOneNodeNeverOvercommitIt() throws Exception {
        ledger.putCapacity(node("hot").vg("vg", 100).vg("vg2", 37).build());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    try {
                        ledger.reserve(pod("ns/p" + thread + "-" + i, lvm("ns/c" + thread + "-" + i, 1 + (i % 3))),
                                "hot", 60_000);
                        granted.incrementAndGet();
                    } catch (StorageException.OutOfCapacity full) {
                        // expected once the node is full
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        NodeState hot = ledger.state("hot");
        long used = 0;
        for (Allocation a : hot.allocations().values()) {
            used += a.allocatedBytes();
        }
        assertThat(hot.usedBytes(false, 0)).isLessThanOrEqualTo(100 * GI);
        assertThat(hot.usedBytes(false, 1)).isLessThanOrEqualTo(37 * GI);
        assertThat(used).isEqualTo(hot.usedBytes(false, 0) + hot.usedBytes(false, 1));
        assertThat(hot.allocations()).hasSize(granted.get());
        assertThat(used).isGreaterThan(130 * GI); // the node did fill up
    }

    @Test
    void concurrentRacesForOneClaimOnTwoNodesLeaveItOnExactlyOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int round = 0; round < 200; round++) {
            String claim = "ns/race-" + round;
            CountDownLatch start = new CountDownLatch(1);
            Future<Boolean> a = pool.submit(() -> tryReserve(start, claim, "n1"));
            Future<Boolean> b = pool.submit(() -> tryReserve(start, claim, "n2"));
            start.countDown();
            assertThat(a.get() ^ b.get()).as("exactly one wins round %d", round).isTrue();
            String owner = ledger.ownerOf(claim);
            assertThat(ledger.state(owner).allocation(claim)).isNotNull();
            String other = owner.equals("n1") ? "n2" : "n1";
            assertThat(ledger.state(other).allocation(claim)).isNull();
            ledger.release(claim);
        }
        pool.shutdown();
    }

    private boolean tryReserve(CountDownLatch start, String claim, String node) throws InterruptedException {
        start.await();
        try {
            ledger.reserve(pod("ns/p", lvm(claim, 1)), node, 60_000);
            return true;
        } catch (StorageException.AlreadyExists lost) {
            return false;
        }
    }

    private static Allocation volume(String claim, String node, String pool, long bytes, String pv) {
        return new Allocation(claim, "", node, VolumeKind.LVM, pool, bytes, bytes, Allocation.Status.CONFIRMED, pv, 0);
    }
}
