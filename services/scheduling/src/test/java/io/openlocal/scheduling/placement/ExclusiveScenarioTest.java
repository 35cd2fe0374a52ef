package io.openlocal.scheduling.placement;

import static io.openlocal.backend.pool.MediaType.HDD;
import static io.openlocal.backend.pool.MediaType.SSD;
import static io.openlocal.scheduling.Fixtures.device;
import static io.openlocal.scheduling.Fixtures.ledger;
import static io.openlocal.scheduling.Fixtures.lvm;
import static io.openlocal.scheduling.Fixtures.mountPoint;
import static io.openlocal.scheduling.Fixtures.node;
import static io.openlocal.scheduling.Fixtures.pod;
import static io.openlocal.scheduling.Fixtures.spdk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.selection.FilterOutcome;
import io.openlocal.scheduling.selection.NodeSelector;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Device, MountPoint, SPDK and mixed pods. */
class ExclusiveScenarioTest {

    private static final NodeCapacity DISKS = node("n1")
            .device("/dev/sdb", 100, HDD).device("/dev/sdc", 200, HDD).device("/dev/sdd", 500, SSD).build();

    @Test
    void deviceClaimGetsTheSmallestFreeDeviceOfItsMediaThatIsLargeEnough() {
        PlacementResult.Fits fits = fits(ledger(Strategy.BINPACK, DISKS), pod("p", device("ns/d", 150, HDD)));
        assertThat(fits.assignments()).singleElement().satisfies(a -> {
            assertThat(a.poolName()).isEqualTo("/dev/sdc");
            assertThat(a.allocatedBytes()).isEqualTo(200L << 30);
        });
        // capacity 10 × 150/200 = 7.5, count 5 × 1 claim / 2 free hdd = 2.5 → 10 of 15 → 6.67.
        // v0.8.0: int(7.5) + int(int(10 × 1 / 3 free of any media) / 2) = 7 + 1 = 8 (out of an unbounded sum).
        assertThat(fits.score()).isCloseTo(10.0 * 10 / 15, Offset.offset(1e-9));
        assertThat(Placer.extenderScore(fits.score())).isEqualTo(7);
    }

    @Test
    void eachDeviceClaimGetsItsOwnDeviceSmallestClaimsFirst() {
        PlacementResult.Fits fits = fits(ledger(Strategy.BINPACK, DISKS),
                pod("p", device("ns/big", 150, HDD), device("ns/small", 50, HDD)));
        assertThat(fits.assignments()).extracting(a -> a.claim().key() + "@" + a.poolName())
                .containsExactly("ns/small@/dev/sdb", "ns/big@/dev/sdc");
    }

    @Test
    void tooFewDevicesOfTheMediaIsUnresolvableAndNamesTheCounts() {
        FilterOutcome outcome = new NodeSelector(ledger(Strategy.BINPACK, DISKS))
                .filter(pod("p", device("ns/a", 10, SSD), device("ns/b", 10, SSD)), List.of("n1"));
        assertThat(outcome.unresolvable().get("n1"))
                .isEqualTo("claims [ns/a, ns/b] need 2 free ssd device(s), and the node has fewer");
    }

    @Test
    void aDeviceTooSmallForTheClaimFailsEvenWhenLargerDevicesOfAnotherMediaAreFree() {
        FilterOutcome outcome = new NodeSelector(ledger(Strategy.BINPACK, DISKS))
                .filter(pod("p", device("ns/a", 300, HDD)), List.of("n1"));
        assertThat(outcome.unresolvable().get("n1"))
                .isEqualTo("claim ns/a needs a free hdd device of at least 300.0 GiB, and none is left");
    }

    @Test
    void aNodeTheDeviceClaimDoesNotFitOnScoresZero() {
        // v0.8.0's count score still gave this node int(int(10 × 1 / 3) / 2) = 1.
        NodeSelector selector = new NodeSelector(ledger(Strategy.BINPACK, DISKS));
        assertThat(selector.prioritize(pod("p", device("ns/a", 600, SSD)), List.of("n1"))).containsExactly(0);
    }

    @Test
    void aPromisedDeviceIsNotGivenToTheNextPod() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, DISKS);
        List<Allocation> first = ledger.reserve(pod("p1", device("ns/a", 50, HDD)), "n1", 60_000);
        List<Allocation> second = ledger.reserve(pod("p2", device("ns/b", 50, HDD)), "n1", 60_000);
        assertThat(first.get(0).poolName()).isEqualTo("/dev/sdb");
        assertThat(second.get(0).poolName()).isEqualTo("/dev/sdc");
        assertThatThrownBy(() -> ledger.reserve(pod("p3", device("ns/c", 50, HDD)), "n1", 60_000))
                .isInstanceOf(StorageException.OutOfCapacity.class)
                .hasMessage("node n1: claims [ns/c] need 1 free hdd device(s), and the node has fewer");
    }

    @Test
    void aClaimWithoutMediaTypeTakesAnyMediaAfterTypedClaims() {
        PlacementResult.Fits fits = fits(ledger(Strategy.BINPACK, DISKS),
                pod("p", device("ns/any", 150, null), device("ns/hdd", 150, HDD)));
        assertThat(fits.assignments()).extracting(a -> a.claim().key() + "@" + a.poolName())
                .containsExactly("ns/hdd@/dev/sdc", "ns/any@/dev/sdd");
    }

    @Test
    void mountPointClaimsFollowTheDeviceRulesOverMountPoints() {
        NodeCapacity mounts = node("n1").mountPoint("/mnt/a", 100, SSD).mountPoint("/mnt/b", 50, SSD)
                .mountPoint("/mnt/c", 400, HDD).build();
        AllocationLedger ledger = ledger(Strategy.BINPACK, mounts);
        PlacementResult.Fits fits = fits(ledger, pod("p", mountPoint("ns/m", 40, SSD)));
        assertThat(fits.assignments()).singleElement().satisfies(a -> assertThat(a.poolName()).isEqualTo("/mnt/b"));
        // 10 × 40/50 + 5 × 1/2 = 10.5 of 15 → 7
        assertThat(Placer.extenderScore(fits.score())).isEqualTo(7);
        FilterOutcome none = new NodeSelector(ledger).filter(pod("p", mountPoint("ns/m", 500, HDD)), List.of("n1"));
        assertThat(none.unresolvable().get("n1")).contains("hdd mount point of at least 500.0 GiB");
    }

    @Test
    void mixedPodNeedsEveryKindToFitAndIsScoredOnTheSumOfTheirMaxima() {
        NodeCapacity n = node("n1").vg("vg", 100).device("/dev/sdb", 100, HDD).device("/dev/sdc", 200, HDD).build();
        AllocationLedger ledger = ledger(Strategy.BINPACK, n);
        PodRequest mixed = pod("p", lvm("ns/data", 20), device("ns/raw", 150, HDD));
        PlacementResult.Fits fits = fits(ledger, mixed);
        assertThat(fits.assignments()).extracting(Assignment::poolName).containsExactly("vg", "/dev/sdc");
        // LVM 10 × 20/100 = 2 of 10; Device 7.5 + 2.5 = 10 of 15 → 12 of 25 → 4.8.
        // v0.8.0: 2 + 7 + int(int(10/2)/2) = 11, past the extender API's 0..10.
        assertThat(fits.score()).isCloseTo(4.8, Offset.offset(1e-9));
        assertThat(Placer.extenderScore(fits.score())).isEqualTo(5);
        FilterOutcome noDevice = new NodeSelector(ledger)
                .filter(pod("p", lvm("ns/data", 20), device("ns/raw", 300, HDD)), List.of("n1"));
        assertThat(noDevice.passed()).isEmpty();
    }

    @Test
    void spdkClaimsArePlacedOnLvstoresRoundedUpToTheClusterSize() {
        NodeCapacity n = node("n1").vg("vg", 100).lvstore("lvs0", 10, 4L << 20).build();
        AllocationLedger ledger = ledger(Strategy.BINPACK, n);
        PodRequest pod = new PodRequest("p", List.of(new io.openlocal.scheduling.claim.ClaimRequest("ns/s",
                io.openlocal.scheduling.claim.VolumeKind.SPDK, (1L << 30) + 1, null, null)));
        List<Allocation> reserved = ledger.reserve(pod, "n1", 60_000);
        assertThat(reserved).singleElement().satisfies(a -> {
            assertThat(a.poolName()).isEqualTo("lvs0");
            assertThat(a.allocatedBytes()).isEqualTo((1L << 30) + (4L << 20));
        });
        FilterOutcome noStore = new NodeSelector(ledger(Strategy.BINPACK, node("n2").vg("vg", 100).build()))
                .filter(pod("p", spdk("ns/s", 1)), List.of("n2"));
        assertThat(noStore.unresolvable().get("n2")).contains("SPDK lvstore").contains("allows none");
    }

    private static PlacementResult.Fits fits(AllocationLedger ledger, PodRequest pod) {
        PlacementResult result = ledger.placer().place(pod, ledger.state("n1"));
        assertThat(result).isInstanceOf(PlacementResult.Fits.class);
        return (PlacementResult.Fits) result;
    }
}
