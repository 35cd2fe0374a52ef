package io.openlocal.extender.promise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.extender.metrics.ExtenderMetrics;
import io.openlocal.scheduling.catalog.ClaimCatalog;
import io.openlocal.scheduling.catalog.ClaimRecord;
import io.openlocal.scheduling.catalog.ClassRecord;
import io.openlocal.scheduling.catalog.PodVolumes;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import io.openlocal.scheduling.placement.Placer;
import io.openlocal.scheduling.placement.Strategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When promises are made, kept and dropped, with a clock the test moves. */
class PromisesTest {

    private static final long GI = 1L << 30;
    private static final String DRIVER = "local.csi.aliyun.com";

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final ClaimCatalog catalog = new ClaimCatalog();
    private final AllocationLedger ledger = new AllocationLedger(new Placer(Strategy.BINPACK), clock::get);
    private final Promises promises = new Promises(catalog, ledger, new ExtenderMetrics(ledger), Duration.ofMinutes(1));

    PromisesTest() {
        catalog.putClass(ClassRecord.of("lvm", DRIVER, false, DRIVER, Map.of("volumeType", "LVM")));
        for (String n : List.of("n1", "n2")) {
            ledger.putCapacity(new NodeCapacity(n, List.of(new SharedPool("vg", 100 * GI)), List.of(), List.of(),
                    List.of()));
        }
    }

    @Test
    void anAnnotatedClaimIsPromisedWithItsPodsOtherClaims() {
        catalog.putClaim(new ClaimRecord("ns/a", "lvm", 10 * GI, false, "n1"));
        catalog.putClaim(new ClaimRecord("ns/b", "lvm", 20 * GI, false, ""));
        catalog.putPod(new PodVolumes("ns", "web", List.of(new PodVolumes.ClaimSource("x", "a"),
                new PodVolumes.ClaimSource("y", "b"))));
        promises.honourSelectedNode(catalog.claim("ns/a"));
        assertThat(ledger.ownerOf("ns/a")).isEqualTo("n1");
        assertThat(ledger.ownerOf("ns/b")).isEqualTo("n1");
        assertThat(ledger.allocation("ns/a").podKey()).isEqualTo("ns/web");
    }

    @Test
    void aPromiseFollowsTheAnnotationToAnotherNode() {
        catalog.putClaim(new ClaimRecord("ns/a", "lvm", 10 * GI, false, ""));
        promises.allocateForProvisioning("ns/a", "n1");
        catalog.putClaim(new ClaimRecord("ns/a", "lvm", 10 * GI, false, "n2"));
        promises.honourSelectedNode(catalog.claim("ns/a"));
        assertThat(ledger.ownerOf("ns/a")).isEqualTo("n2");
        assertThat(ledger.state("n1").allocations()).isEmpty();
    }

    @Test
    void promisesNothingAsksForLapseAfterTheTimeoutAndAnnotatedOnesAreRenewed() {
        catalog.putClaim(new ClaimRecord("ns/route-only", "lvm", 10 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("ns/annotated", "lvm", 10 * GI, false, "n1"));
        promises.allocateForProvisioning("ns/route-only", "n1");
        promises.honourSelectedNode(catalog.claim("ns/annotated"));
        assertThat(promises.sweep()).isZero();
        clock.addAndGet(Duration.ofMinutes(1).toMillis());
        assertThat(promises.sweep()).isEqualTo(1);
        assertThat(ledger.ownerOf("ns/route-only")).isNull();
        assertThat(ledger.ownerOf("ns/annotated")).isEqualTo("n1");
        assertThat(ledger.allocation("ns/annotated").expiresAtMillis()).isGreaterThan(clock.get());
    }

    @Test
    void theSweepPromisesAnnotatedClaimsThatHaveNoPromiseYet() {
        // The class arrived after the claim's annotation event: the sweep reconciles.
        catalog.removeClass("lvm");
        catalog.putClaim(new ClaimRecord("ns/a", "lvm", 10 * GI, false, "n2"));
        promises.honourSelectedNode(catalog.claim("ns/a"));
        assertThat(ledger.ownerOf("ns/a")).isNull();
        catalog.putClass(ClassRecord.of("lvm", DRIVER, false, DRIVER, Map.of("volumeType", "LVM")));
        promises.sweep();
        assertThat(ledger.ownerOf("ns/a")).isEqualTo("n2");
    }

    @Test
    void deletingAPodReleasesOnlyPromisesOfUnannotatedClaims() {
        catalog.putClaim(new ClaimRecord("ns/a", "lvm", 10 * GI, false, "n1"));
        catalog.putClaim(new ClaimRecord("ns/b", "lvm", 10 * GI, false, ""));
        PodVolumes pod = new PodVolumes("ns", "web", List.of(new PodVolumes.ClaimSource("x", "a"),
                new PodVolumes.ClaimSource("y", "b")));
        catalog.putPod(pod);
        promises.allocateForProvisioning("ns/b", "n1"); // promises a and b together
        promises.podDeleted(pod);
        assertThat(ledger.ownerOf("ns/a")).isEqualTo("n1"); // provisioning may still run for it
        assertThat(ledger.ownerOf("ns/b")).isNull();
    }

    @Test
    void provisioningRequestsForUnknownOrForeignClaimsAreRefused() {
        catalog.putClass(ClassRecord.of("ebs", "ebs.csi.aws.com", false, DRIVER, Map.of()));
        catalog.putClaim(new ClaimRecord("ns/ebs", "ebs", 10 * GI, false, ""));
        assertThatThrownBy(() -> promises.allocateForProvisioning("ns/none", "n1"))
                .isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> promises.allocateForProvisioning("ns/ebs", "n1"))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("not an Open-Local claim");
    }
}
