package io.openlocal.controller.initconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.openlocal.kube.crd.IncludeExclude;
import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec.GlobalConfig;
import io.openlocal.kube.crd.NodeLocalStorageInitConfigSpec.NodeConfig;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.ResourceToBeInited;
import io.openlocal.kube.crd.ResourceToBeInited.VgToInit;
import io.openlocal.kube.crd.SpdkConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Open-Local's merge rule (pkg/controller updateNLSSpec), on the NLSC of docs/api/nlsc_zh_CN.md. */
class SpecMergerTest {

    private static ListConfig vgs(String... include) {
        return new ListConfig(null, null, new IncludeExclude(List.of(include), null));
    }

    private static ResourceToBeInited vg(String name, String... devices) {
        return new ResourceToBeInited(List.of(new VgToInit(name, List.of(devices))), null, null);
    }

    /** The documented NLSC: global pool on /dev/vdb3; control-plane nodes list share-pool; one host gets share. */
    private static final NodeLocalStorageInitConfigSpec DOC = new NodeLocalStorageInitConfigSpec(
            new GlobalConfig(new ListConfig(new IncludeExclude(List.of("/dev/vdc"), null), null,
                    new IncludeExclude(List.of("open-local-pool-[0-9]+"), null)),
                    vg("open-local-pool-0", "/dev/vdb3"), null),
            List.of(new NodeConfig(new V1LabelSelector().matchExpressions(List.of(new V1LabelSelectorRequirement()
                            .key("node-role.kubernetes.io/control-plane").operator("In").values(List.of("")))),
                            new ListConfig(new IncludeExclude(List.of("/dev/vdd"), null), null,
                                    new IncludeExclude(List.of("share-pool"), null)), null, null),
                    new NodeConfig(new V1LabelSelector().matchLabels(Map.of("kubernetes.io/hostname",
                            "cn-hangzhou.10.0.95.236")), null, vg("share", "/dev/vdc"), null)));

    @Test
    void nodeMatchingNoEntryGetsTheGlobalConfig() {
        NodeLocalStorageSpec spec = SpecMerger.merge(DOC, "worker-1", Map.of("kubernetes.io/hostname", "worker-1"));
        assertThat(spec.nodeName()).isEqualTo("worker-1");
        assertThat(spec.listConfig()).isEqualTo(DOC.globalConfig().listConfig());
        assertThat(spec.resourceToBeInited()).isEqualTo(vg("open-local-pool-0", "/dev/vdb3"));
        assertThat(spec.spdkConfig()).isNull();
    }

    @Test
    void matchingEntryReplacesEveryPartEvenThoseItLeavesOut() {
        NodeLocalStorageSpec spec = SpecMerger.merge(DOC, "master-1",
                Map.of("node-role.kubernetes.io/control-plane", ""));
        assertThat(spec.listConfig().vgs().include()).containsExactly("share-pool");
        assertThat(spec.listConfig().devices().include()).containsExactly("/dev/vdd");
        // the entry has no resourceToBeInited: the global one is replaced by nothing, as in Open-Local
        assertThat(spec.resourceToBeInited()).isNull();
    }

    @Test
    void laterMatchingEntryWinsWhole() {
        NodeLocalStorageSpec spec = SpecMerger.merge(DOC, "cn-hangzhou.10.0.95.236", Map.of(
                "node-role.kubernetes.io/control-plane", "", "kubernetes.io/hostname", "cn-hangzhou.10.0.95.236"));
        assertThat(spec.resourceToBeInited()).isEqualTo(vg("share", "/dev/vdc"));
        assertThat(spec.listConfig()).isNull(); // the second entry lists nothing, so nothing is listed
    }

    @Test
    void labelValueMustMatchForInAndMatchLabels() {
        NodeLocalStorageSpec spec = SpecMerger.merge(DOC, "n", Map.of("node-role.kubernetes.io/control-plane", "x"));
        assertThat(spec.listConfig()).isEqualTo(DOC.globalConfig().listConfig());
    }

    @Test
    void spdkConfigFollowsTheSameRule() {
        var nlsc = new NodeLocalStorageInitConfigSpec(new GlobalConfig(null, null, new SpdkConfig("", "")),
                List.of(new NodeConfig(new V1LabelSelector().matchLabels(Map.of("spdk", "true")), vgs("lvs.*"), null,
                        new SpdkConfig("nvme", "/var/tmp/spdk.sock"))));
        assertThat(SpecMerger.merge(nlsc, "a", Map.of("spdk", "true")).spdkConfig().rpcSocket())
                .isEqualTo("/var/tmp/spdk.sock");
        assertThat(SpecMerger.merge(nlsc, "b", Map.of()).spdkConfig().rpcSocket()).isEmpty();
    }

    @Test
    void noGlobalConfigAndNoEntriesGiveAnEmptySpec() {
        assertThat(SpecMerger.merge(new NodeLocalStorageInitConfigSpec(null, null), "a", Map.of()))
                .isEqualTo(new NodeLocalStorageSpec("a", null, null, null));
        assertThat(SpecMerger.merge(null, "a", null)).isEqualTo(new NodeLocalStorageSpec("a", null, null, null));
    }
}
