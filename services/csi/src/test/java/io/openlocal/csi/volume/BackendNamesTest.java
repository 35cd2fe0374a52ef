package io.openlocal.csi.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.naming.Names;
import org.junit.jupiter.api.Test;

class BackendNamesTest {

    private final BackendNames names = BackendNames.standard();

    @Test
    void openLocalStyleNamesAreKept() {
        assertThat(names.of("local-0f3c2b1a-1111-2222-3333-444455556666"))
                .isEqualTo("local-0f3c2b1a-1111-2222-3333-444455556666");
    }

    @Test
    void kubernetesNamesGetThePrefix() {
        assertThat(names.of("pvc-0f3c2b1a-1111-2222-3333-444455556666"))
                .isEqualTo("local-pvc-0f3c2b1a-1111-2222-3333-444455556666");
    }

    @Test
    void otherNamesBecomeAStableDigest() {
        String odd = "Volume With Spaces/and/slashes – ünïcode";
        assertThat(names.of(odd)).matches("local-h[0-9a-f]{40}").isEqualTo(names.of(odd));
        assertThat(names.of("n".repeat(128))).matches("local-h[0-9a-f]{40}");
        assertThat(names.of(odd)).isNotEqualTo(names.of(odd + "x"));
    }

    @Test
    void aPlainNameThatLooksLikeADigestOrASnapshotCannotCollide() {
        String digest = names.of("something odd!");
        assertThat(names.of(digest)).isNotEqualTo(digest);
        String snapshot = names.ofSnapshot("s1");
        assertThat(snapshot).isEqualTo("local-snap-s1");
        assertThat(names.of(snapshot)).isNotEqualTo(snapshot);
    }

    @Test
    void everyBackendNameIsASafeObjectName() {
        for (String csi : new String[] {"a", "pvc-1", "UPPER", "x".repeat(200), "../../etc", "-rf", "snapshot-1"}) {
            Names.requireObjectName("name", names.of(csi), 63);
            Names.requireObjectName("name", names.ofSnapshot(csi), 63);
            assertThat(names.of(csi)).startsWith("local-");
            assertThat(names.ofSnapshot(csi)).startsWith("local-snap-");
        }
    }
}
