package io.openlocal.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.openlocal.kube.crd.IncludeExclude;
import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageInitConfig;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec.GlobalConfig;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec.NodeConfig;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.spec.SpecProblem;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NlsPlannerTest {

    private static final NodeLocalStorageInitConfig NLSC = new NodeLocalStorageInitConfig(
            new V1ObjectMeta().name("open-local"), new NodeLocalStorageInitConfigSpec(
                    new GlobalConfig(new ListConfig(null, null, new IncludeExclude(List.of("pool.*"), null)), null, null),
                    List.of(new NodeConfig(new V1LabelSelector().matchLabels(Map.of("ssd", "yes")),
                            new ListConfig(null, null, new IncludeExclude(List.of("fast.*"), null)), null, null))));

    private static V1Node node(String name, Map<String, String> labels) {
        return new V1Node().metadata(new V1ObjectMeta().name(name).labels(labels));
    }

    private static NodeLocalStorage nls(String name, NodeLocalStorageSpec spec) {
        return new NodeLocalStorage(new V1ObjectMeta().name(name).uid("uid-" + name), spec, null);
    }

    @Test
    void newNodeGetsAnNlsWithTheMergedSpec() {
        var action = NlsPlanner.plan("n1", node("n1", Map.of("ssd", "yes")), null, NLSC, List.of(), true);
        assertThat(action).isInstanceOf(NlsPlanner.Create.class);
        assertThat(((NlsPlanner.Create) action).spec().listConfig().vgs().include()).containsExactly("fast.*");
        assertThat(((NlsPlanner.Create) action).spec().nodeName()).isEqualTo("n1");
    }

    @Test
    void nlsOfAGoneNodeIsDeletedByUid() {
        assertThat(NlsPlanner.plan("n1", null, nls("n1", null), NLSC, List.of(), true))
                .isEqualTo(new NlsPlanner.Delete("n1", "uid-n1"));
        assertThat(NlsPlanner.plan("n1", null, null, NLSC, List.of(), true)).isInstanceOf(NlsPlanner.Leave.class);
    }

    @Test
    void driftedSpecIsPutBackOnlyWhenUpdatesAreOn() {
        var drifted = nls("n1", new NodeLocalStorageSpec("n1", null, null, null));
        assertThat(NlsPlanner.plan("n1", node("n1", Map.of()), drifted, NLSC, List.of(), true))
                .isInstanceOf(NlsPlanner.Update.class);
        var off = NlsPlanner.plan("n1", node("n1", Map.of()), drifted, NLSC, List.of(), false);
        assertThat(off).isInstanceOf(NlsPlanner.Leave.class);
        assertThat(((NlsPlanner.Leave) off).why()).contains("updateNls: false");
    }

    @Test
    void specThatSaysTheSameInOtherWordsIsLeftAlone() {
        // empty lists where the NLSC has none: the same meaning
        var same = nls("n1", new NodeLocalStorageSpec("n1", new ListConfig(new IncludeExclude(List.of(), List.of()),
                null, new IncludeExclude(List.of("pool.*"), List.of())), null, null));
        assertThat(NlsPlanner.plan("n1", node("n1", Map.of()), same, NLSC, List.of(), true))
                .isInstanceOf(NlsPlanner.Leave.class);
    }

    @Test
    void missingOrInvalidNlscTouchesNothing() {
        var existing = nls("n1", new NodeLocalStorageSpec("n1", null, null, null));
        assertThat(NlsPlanner.plan("n1", node("n1", Map.of()), null, null, List.of(), true))
                .isInstanceOf(NlsPlanner.Leave.class);
        var invalid = NlsPlanner.plan("n1", node("n1", Map.of()), existing, NLSC,
                List.of(new SpecProblem("spec.globalConfig.resourceToBeInited.vgs[1].name", "duplicate VG name 'p'")),
                true);
        assertThat(invalid).isInstanceOf(NlsPlanner.Leave.class);
        assertThat(((NlsPlanner.Leave) invalid).why()).contains("open-local is invalid", "duplicate VG name 'p'");
    }

    @Test
    void nlsBeingDeletedIsLeftToGoAndThenCreatedAgain() {
        var going = nls("n1", null);
        going.getMetadata().setDeletionTimestamp(OffsetDateTime.parse("2026-01-01T00:00:00Z"));
        assertThat(NlsPlanner.plan("n1", node("n1", Map.of()), going, NLSC, List.of(), true))
                .isInstanceOf(NlsPlanner.Leave.class);
        assertThat(NlsPlanner.plan("n1", null, going, NLSC, List.of(), true)).isInstanceOf(NlsPlanner.Leave.class);
    }
}
