package io.openlocal.scheduling.placement;

import static io.openlocal.scheduling.Fixtures.GI;
import static io.openlocal.scheduling.Fixtures.ledger;
import static io.openlocal.scheduling.Fixtures.lvm;
import static io.openlocal.scheduling.Fixtures.lvmOn;
import static io.openlocal.scheduling.Fixtures.node;
import static io.openlocal.scheduling.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.selection.FilterOutcome;
import io.openlocal.scheduling.selection.NodeSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LVM placement and scoring, with Open-Local v0.8.0's figures for the same inputs where they differ. */
class LvmScenarioTest {

    @Test
    void binpackTakesTheVolumeGroupWithLeastFreeSpaceThatFitsAndScoresTheShareTaken() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vgA", 100).vg("vgB", 50).build());
        PlacementResult.Fits fits = fits(ledger, "n1", pod("p", lvm("ns/c1", 20)));
        assertThat(fits.assignments()).singleElement().satisfies(a -> assertThat(a.poolName()).isEqualTo("vgB"));
        // 20/50 × 10 = 4 (v0.8.0: 4)
        assertThat(Placer.extenderScore(fits.score())).isEqualTo(4);
    }

    @Test
    void spreadTakesTheVolumeGroupWithMostFreeSpaceAndScoresTheShareLeft() {
        AllocationLedger ledger = ledger(Strategy.SPREAD, node("n1").vg("vgA", 100).vg("vgB", 50).build());
        PlacementResult.Fits fits = fits(ledger, "n1", pod("p", lvm("ns/c1", 20)));
        assertThat(fits.assignments()).singleElement().satisfies(a -> assertThat(a.poolName()).isEqualTo("vgA"));
        // (1 - 20/100) × 10 = 8 (v0.8.0: 8)
        assertThat(Placer.extenderScore(fits.score())).isEqualTo(8);
    }

    @Test
    void binpackPrefersTheSmallerVolumeGroupNodeAndSpreadTheLarger() {
        var small = node("small").vg("vg", 100).build();
        var large = node("large").vg("vg", 200).build();
        PodRequest pod = pod("p", lvm("ns/c1", 50));
        long[] binpack = new NodeSelector(ledger(Strategy.BINPACK, small, large)).prioritize(pod, List.of("small", "large"));
        long[] spread = new NodeSelector(ledger(Strategy.SPREAD, small, large)).prioritize(pod, List.of("small", "large"));
        assertThat(binpack).containsExactly(5, 3);  // 5.0 and 2.5 (v0.8.0 truncates 2.5 to 2)
        assertThat(spread).containsExactly(5, 8);   // 5.0 and 7.5 (v0.8.0: 5 and 7)
    }

    @Test
    void aClaimThatDoesNotFitFailsOnlyThatNodeWithTheVolumeGroupNamed() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vgA", 10).build(),
                node("n2").vg("vgA", 100).build());
        FilterOutcome outcome = new NodeSelector(ledger).filter(pod("p", lvm("ns/c1", 20)), List.of("n1", "n2"));
        assertThat(outcome.passed()).containsExactly("n2");
        assertThat(outcome.unresolvable()).containsOnlyKeys("n1");
        assertThat(outcome.unresolvable().get("n1")).isEqualTo(
                "claim ns/c1 needs 20.0 GiB, more than any volume group of the node has free");
    }

    @Test
    void twoClaimsThatFitOnlyInDifferentVolumeGroupsAreSplitAndBothCounted() {
        // v0.8.0's filter used a binpack walk but its spread prioritizer put both claims on vgA (it did not see
        // the first claim's space taken) and scored (1 - 100/100) × 10 = 0.
        AllocationLedger ledger = ledger(Strategy.SPREAD, node("n1").vg("vgA", 100).vg("vgB", 60).build());
        PlacementResult.Fits fits = fits(ledger, "n1", pod("p", lvm("ns/c1", 50), lvm("ns/c2", 50)));
        assertThat(fits.assignments()).extracting(Assignment::poolName).containsExactly("vgA", "vgB");
        // mean(1 - 50/100, 1 - 50/60) × 10 = 3.33
        assertThat(fits.score()).isCloseTo(10 * (0.5 + (1 - 50.0 / 60)) / 2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Placer.extenderScore(fits.score())).isEqualTo(3);
    }

    @Test
    void spreadNeverScoresBelowZero() {
        // v0.8.0 placed both 60 GiB claims on vgA (100 GiB) and scored (1 - 120/100) × 10 = -2.
        AllocationLedger ledger = ledger(Strategy.SPREAD, node("n1").vg("vgA", 100).vg("vgB", 60).build());
        PlacementResult.Fits fits = fits(ledger, "n1", pod("p", lvm("ns/c1", 60), lvm("ns/c2", 60)));
        assertThat(fits.assignments()).extracting(Assignment::poolName).containsExactly("vgA", "vgB");
        assertThat(fits.score()).isBetween(0.0, 10.0);
        assertThat(Placer.extenderScore(fits.score())).isEqualTo(2); // mean(0.4, 0.0) × 10
    }

    @Test
    void claimsThatFitOnlyLargestFirstArePlacedByTheRetry() {
        // Spread in the pod's order puts 6 GiB on vgA (10) leaving 4, then 10 GiB fits nowhere; largest first fits.
        AllocationLedger ledger = ledger(Strategy.SPREAD, node("n1").vg("vgA", 10).vg("vgB", 6).build());
        PlacementResult.Fits fits = fits(ledger, "n1", pod("p", lvm("ns/small", 6), lvm("ns/big", 10)));
        assertThat(fits.assignments()).extracting(a -> a.claim().key() + "@" + a.poolName())
                .containsExactlyInAnyOrder("ns/big@vgA", "ns/small@vgB");
    }

    @Test
    void vgNamePinsTheClaimToThatVolumeGroup() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vgA", 100).vg("vgB", 50).build());
        PlacementResult.Fits fits = fits(ledger, "n1", pod("p", lvmOn("ns/c1", 10, "vgA")));
        assertThat(fits.assignments()).singleElement().satisfies(a -> assertThat(a.poolName()).isEqualTo("vgA"));
    }

    @Test
    void aPinnedVolumeGroupMissingFromTheNodeIsUnresolvableThere() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vgA", 100).build(),
                node("n2").vg("vgB", 100).build());
        FilterOutcome outcome = new NodeSelector(ledger).filter(pod("p", lvmOn("ns/c1", 10, "vgB")), List.of("n1", "n2"));
        assertThat(outcome.passed()).containsExactly("n2");
        assertThat(outcome.unresolvable().get("n1")).isEqualTo(
                "claim ns/c1 needs volume group vgB, which the node does not allow");
    }

    @Test
    void aFullPinnedVolumeGroupIsAResolvableFailureEvenWhenAnotherHasRoom() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vgA", 100).vg("vgB", 30).build());
        FilterOutcome outcome = new NodeSelector(ledger).filter(pod("p", lvmOn("ns/c1", 20, "vgB")), List.of("n1"));
        assertThat(outcome.passed()).containsExactly("n1");
        ledger.reserve(pod("q", lvmOn("ns/other", 20, "vgB")), "n1", 60_000);
        outcome = new NodeSelector(ledger).filter(pod("p", lvmOn("ns/c1", 20, "vgB")), List.of("n1"));
        assertThat(outcome.failed().get("n1")).isEqualTo("claim ns/c1 needs 20.0 GiB from volume group vgB, which has"
                + " less free");
    }

    @Test
    void pinnedClaimsArePlacedBeforeUnpinnedOnes() {
        // The unpinned claim would take vgB (binpack) if placed first and leave no room for the pinned one.
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vgA", 100).vg("vgB", 30).build());
        PlacementResult.Fits fits = fits(ledger, "n1", pod("p", lvm("ns/free", 20), lvmOn("ns/pinned", 20, "vgB")));
        assertThat(fits.assignments()).extracting(a -> a.claim().key() + "@" + a.poolName())
                .containsExactly("ns/pinned@vgB", "ns/free@vgA");
    }

    @Test
    void scoresAreRoundedNotTruncated() {
        // share 0.9999 → 9.999: v0.8.0 answered 9
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vgBytes("vg", 10_000 * GI).build());
        long[] scores = new NodeSelector(ledger).prioritize(pod("p", lvm("ns/c", 9_999)), List.of("n1"));
        assertThat(scores).containsExactly(10);
    }

    @Test
    void promisedSpaceIsSeenByTheNextPod() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vg", 100).build());
        NodeSelector selector = new NodeSelector(ledger);
        assertThat(selector.filter(pod("p1", lvm("ns/a", 60)), List.of("n1")).passed()).containsExactly("n1");
        ledger.reserve(pod("p1", lvm("ns/a", 60)), "n1", 60_000);
        FilterOutcome second = selector.filter(pod("p2", lvm("ns/b", 60)), List.of("n1"));
        assertThat(second.passed()).isEmpty();
        assertThat(second.failed().get("n1")).contains("ns/b needs 60.0 GiB");
    }

    @Test
    void aNodeWithoutNodeLocalStorageFailsAloneAndScoresZero() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vg", 100).build());
        NodeSelector selector = new NodeSelector(ledger);
        PodRequest pod = pod("p", lvm("ns/a", 10));
        FilterOutcome outcome = selector.filter(pod, List.of("ghost", "n1"));
        assertThat(outcome.passed()).containsExactly("n1");
        assertThat(outcome.unresolvable().get("ghost")).contains("no NodeLocalStorage");
        assertThat(selector.prioritize(pod, List.of("ghost", "n1"))).containsExactly(0, 1);
    }

    @Test
    void failureReasonsDoNotDependOnTheNodeSoTheSchedulerCanFoldThem() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vg", 10).build(),
                node("n2").vg("vg", 15).vg("vg2", 5).build(), node("n3").vg("other", 12).build());
        FilterOutcome outcome = new NodeSelector(ledger).filter(pod("p", lvm("ns/a", 20)), List.of("n1", "n2", "n3"));
        assertThat(outcome.unresolvable().values()).hasSize(3).containsOnly(
                "claim ns/a needs 20.0 GiB, more than any volume group of the node has free");
    }

    @Test
    void aPodWithoutClaimsOfOursPassesEveryNodeWithScoreZero() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vg", 1).build());
        NodeSelector selector = new NodeSelector(ledger);
        PodRequest none = new PodRequest("ns/web", List.of());
        assertThat(selector.filter(none, List.of("n1", "unknown")).passed()).containsExactly("n1", "unknown");
        assertThat(selector.prioritize(none, List.of("n1", "unknown"))).containsExactly(0, 0);
    }

    @Test
    void aPodWhoseClaimIsPromisedToANodeFitsOnlyThere() {
        AllocationLedger ledger = ledger(Strategy.BINPACK, node("n1").vg("vg", 100).build(),
                node("n2").vg("vg", 100).build());
        PodRequest pod = pod("p", lvm("ns/a", 10), lvm("ns/b", 10));
        ledger.reserve(pod, "n2", 60_000);
        FilterOutcome outcome = new NodeSelector(ledger).filter(pod, List.of("n1", "n2"));
        assertThat(outcome.passed()).containsExactly("n2");
        assertThat(outcome.unresolvable().get("n1")).contains("already promised to node n2");
        assertThat(new NodeSelector(ledger).prioritize(pod, List.of("n1", "n2"))).containsExactly(0, 10);
    }

    private static PlacementResult.Fits fits(AllocationLedger ledger, String node, PodRequest pod) {
        PlacementResult result = ledger.placer().place(pod, ledger.state(node));
        assertThat(result).isInstanceOf(PlacementResult.Fits.class);
        return (PlacementResult.Fits) result;
    }
}
