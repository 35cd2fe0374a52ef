package io.openlocal.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.testinfra.kube.KubeApiEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code open-local status} on a cluster without any NodeLocalStorage says so instead of printing an empty table. */
class StatusEmptyClusterTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    @Test
    void emptyClusterPrintsOneClearLine() {
        var run = StatusCommandTest.run("status", "--master", api.url());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).startsWith("no NodeLocalStorage in the cluster").doesNotContain("\n");
    }

    @Test
    void emptyClusterAsJsonIsAnEmptyNodeList() {
        var run = StatusCommandTest.run("status", "--master", api.url(), "-o", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().replaceAll("\\s", "")).isEqualTo("{\"nodes\":[]}");
    }
}
