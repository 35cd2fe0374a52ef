package io.openlocal.agent.listing;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.kube.crd.IncludeExclude;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Open-Local's include/exclude semantics (pkg/agent/discovery FilterInfo), on the examples of its docs. */
class NameSelectionTest {

    /** The devices of docs/api/nls_zh_CN.md's status. */
    private static final List<String> DOC_DEVICES = List.of("/dev/vda1", "/dev/vda", "/dev/vdb1", "/dev/vdb2",
            "/dev/vdb3", "/dev/vdb", "/dev/vdc");

    @Test
    void openLocalDocumentExampleSelectsOnlyVdc() {
        var rules = new IncludeExclude(List.of("/dev/vd[a-d]+"), List.of("/dev/vda", "/dev/vdb"));
        assertThat(NameSelection.select(DOC_DEVICES, rules)).containsExactly("/dev/vdc");
    }

    @Test
    void patternMustCoverTheWholeNameSoPartitionsAreNotPickedByTheirDisksPattern() {
        var rules = new IncludeExclude(List.of("/dev/vdb"), null);
        assertThat(NameSelection.select(DOC_DEVICES, rules)).containsExactly("/dev/vdb");
    }

    @Test
    void vgListOfTheDocumentSelectsThePool() {
        var rules = new IncludeExclude(List.of("share", "paas[0-9]*", "open-local-pool-[0-9]+"), null);
        assertThat(NameSelection.select(List.of("open-local-pool-0", "paas", "sharex", "other"), rules))
                .containsExactly("open-local-pool-0", "paas");
    }

    @Test
    void emptyIncludeSelectsNothingEvenWithoutExclude() {
        assertThat(NameSelection.select(DOC_DEVICES, new IncludeExclude(List.of(), List.of()))).isEmpty();
        assertThat(NameSelection.select(DOC_DEVICES, null)).isEmpty();
    }

    @Test
    void excludeWinsOverInclude() {
        var rules = new IncludeExclude(List.of(".*"), List.of("/dev/vdb[0-9]*"));
        assertThat(NameSelection.select(DOC_DEVICES, rules)).containsExactly("/dev/vda1", "/dev/vda", "/dev/vdc");
    }

    @Test
    void leftmostFirstMatchDecidesAsInGo() {
        // Go: regexp("a|ab").FindString("ab") == "a", which is not the whole name, so "ab" is not selected.
        assertThat(NameSelection.select(List.of("ab", "a"), new IncludeExclude(List.of("a|ab"), null)))
                .containsExactly("a");
        assertThat(NameSelection.select(List.of("ab"), new IncludeExclude(List.of("ab|a"), null)))
                .containsExactly("ab");
    }

    @Test
    void aListWithAnInvalidPatternSelectsNothingSoADroppedExcludeCannotHandOutADisk() {
        var badExclude = new IncludeExclude(List.of(".*"), List.of("/dev/vdc", "/dev/vd[a"));
        assertThat(NameSelection.select(DOC_DEVICES, badExclude)).isEmpty();
        var badInclude = new IncludeExclude(List.of("(", "/dev/vdc"), null);
        assertThat(NameSelection.select(DOC_DEVICES, badInclude)).isEmpty();
    }

    @Test
    void duplicatesAreReportedOnceInDiscoveryOrder() {
        var rules = new IncludeExclude(List.of("/dev/vdc", "/dev/vd."), null);
        assertThat(NameSelection.select(List.of("/dev/vdc", "/dev/vda", "/dev/vdc"), rules))
                .containsExactly("/dev/vdc", "/dev/vda");
    }
}
