package io.openlocal.csi.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The claim external-provisioner names in CreateVolume parameters (--extra-create-metadata). */
class ClaimRefTest {

    @Test
    void theProvisionersKeysNameTheClaim() {
        assertThat(ClaimRef.of(Map.of("csi.storage.k8s.io/pvc/name", "data-web-0",
                "csi.storage.k8s.io/pvc/namespace", "shop", "csi.storage.k8s.io/pv/name", "local-1", "volumeType", "LVM")))
                .contains(new ClaimRef("shop", "data-web-0"));
    }

    @Test
    void withoutBothKeysThereIsNoClaim() {
        assertThat(ClaimRef.of(Map.of("volumeType", "LVM"))).isEmpty();
        assertThat(ClaimRef.of(Map.of(ClaimRef.PVC_NAME, "data"))).isEmpty();
        assertThat(ClaimRef.of(Map.of(ClaimRef.PVC_NAMESPACE, "shop"))).isEmpty();
    }

    @Test
    void somethingThatIsNotAClaimsNameIsIgnoredNotTrusted() {
        assertThat(ClaimRef.of(Map.of(ClaimRef.PVC_NAME, "../secrets/x", ClaimRef.PVC_NAMESPACE, "shop"))).isEmpty();
        assertThat(ClaimRef.of(Map.of(ClaimRef.PVC_NAME, "data", ClaimRef.PVC_NAMESPACE, "Shop"))).isEmpty();
        assertThat(ClaimRef.of(Map.of(ClaimRef.PVC_NAME, "data", ClaimRef.PVC_NAMESPACE, "a.b"))).isEmpty();
        assertThat(ClaimRef.of(Map.of(ClaimRef.PVC_NAME, "", ClaimRef.PVC_NAMESPACE, "shop"))).isEmpty();
        assertThatThrownBy(() -> new ClaimRef("shop", "x/y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x/y");
    }
}
