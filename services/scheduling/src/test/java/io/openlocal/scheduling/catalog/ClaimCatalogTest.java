package io.openlocal.scheduling.catalog;

import static io.openlocal.scheduling.Fixtures.GI;
import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.scheduling.claim.ClaimRequest;
import io.openlocal.scheduling.claim.VolumeKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimCatalogTest {

    private static final String DRIVER = "local.csi.aliyun.com";
    private final ClaimCatalog catalog = new ClaimCatalog();

    ClaimCatalogTest() {
        catalog.putClass(ClassRecord.of("open-local-lvm", DRIVER, false, DRIVER, Map.of("volumeType", "LVM")));
        catalog.putClass(ClassRecord.of("open-local-device-ssd", DRIVER, false, DRIVER,
                Map.of("volumeType", "Device", "mediaType", "ssd")));
        catalog.putClass(ClassRecord.of("broken", DRIVER, false, DRIVER, Map.of("volumeType", "lvm")));
        catalog.putClass(ClassRecord.of("ebs", "ebs.csi.aws.com", true, DRIVER, Map.of("type", "gp3")));
    }

    @Test
    void pendingClaimsOfOurClassesBecomeRequests() {
        catalog.putClaim(new ClaimRecord("ns/data", "open-local-lvm", 10 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("ns/raw", "open-local-device-ssd", 100 * GI, false, ""));
        PodResolution r = catalog.resolve(pod(new PodVolumes.ClaimSource("v1", "data"),
                new PodVolumes.ClaimSource("v2", "raw")));
        assertThat(r.problems()).isEmpty();
        assertThat(r.request().claims()).extracting(ClaimRequest::key, ClaimRequest::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ns/data", VolumeKind.LVM),
                        org.assertj.core.groups.Tuple.tuple("ns/raw", VolumeKind.DEVICE));
    }

    @Test
    void boundClaimsAndForeignClaimsPassThrough() {
        catalog.putClaim(new ClaimRecord("ns/bound", "open-local-lvm", 10 * GI, true, "n1"));
        catalog.putClaim(new ClaimRecord("ns/ebs", "", 10 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("ns/ebs2", "ebs", 10 * GI, false, ""));
        PodResolution r = catalog.resolve(pod(new PodVolumes.ClaimSource("a", "bound"),
                new PodVolumes.ClaimSource("b", "ebs"), new PodVolumes.ClaimSource("c", "ebs2")));
        assertThat(r.request().isEmpty()).isTrue();
        assertThat(r.problems()).isEmpty();
        assertThat(r.skipped()).isEmpty();
    }

    @Test
    void unknownClaimsAndClassesAreSkippedNotFatal() {
        catalog.putClaim(new ClaimRecord("ns/odd", "not-yet-seen", 10 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("ns/data", "open-local-lvm", 10 * GI, false, ""));
        PodResolution r = catalog.resolve(pod(new PodVolumes.ClaimSource("a", "missing"),
                new PodVolumes.ClaimSource("b", "odd"), new PodVolumes.ClaimSource("c", "data")));
        assertThat(r.skipped()).hasSize(2).anySatisfy(s -> assertThat(s).contains("ns/missing"))
                .anySatisfy(s -> assertThat(s).contains("not-yet-seen"));
        assertThat(r.request().claims()).extracting(ClaimRequest::key).containsExactly("ns/data");
    }

    @Test
    void aClaimOfAnOpenLocalClassWithBadParametersIsAPodLevelProblem() {
        catalog.putClaim(new ClaimRecord("ns/bad", "broken", 10 * GI, false, ""));
        PodResolution r = catalog.resolve(pod(new PodVolumes.ClaimSource("a", "bad")));
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("ns/bad").contains("StorageClass broken").contains("'volumeType'"));
    }

    @Test
    void anEphemeralVolumeUsesItsTemplateUntilItsClaimExists() {
        PodVolumes pod = pod(new PodVolumes.EphemeralSource("scratch", "open-local-lvm", 5 * GI));
        assertThat(catalog.resolve(pod).request().claims()).singleElement()
                .satisfies(c -> assertThat(c.key()).isEqualTo("ns/web-0-scratch"));
        catalog.putClaim(new ClaimRecord("ns/web-0-scratch", "open-local-lvm", 5 * GI, true, "n1"));
        assertThat(catalog.resolve(pod).request().isEmpty()).isTrue();
    }

    @Test
    void anEphemeralTemplateWithoutClassUsesTheDefaultClass() {
        catalog.putClass(ClassRecord.of("default-local", DRIVER, true, DRIVER, Map.of("volumeType", "LVM")));
        catalog.removeClass("ebs"); // was marked default too
        PodVolumes pod = pod(new PodVolumes.EphemeralSource("scratch", "", 5 * GI));
        assertThat(catalog.resolve(pod).request().claims()).hasSize(1);
    }

    @Test
    void podsAreFoundByTheirClaims() {
        PodVolumes pod = pod(new PodVolumes.ClaimSource("a", "data"));
        catalog.putPod(pod);
        assertThat(catalog.podUsing("ns/data")).isEqualTo(pod);
        catalog.removePod(pod.key());
        assertThat(catalog.podUsing("ns/data")).isNull();
    }

    private static PodVolumes pod(PodVolumes.Source... sources) {
        return new PodVolumes("ns", "web-0", List.of(sources));
    }
}
