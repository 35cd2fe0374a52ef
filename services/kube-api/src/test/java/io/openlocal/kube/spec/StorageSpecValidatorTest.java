package io.openlocal.kube.spec;

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
import io.openlocal.kube.crd.ResourceToBeInited.LvstoreToInit;
import io.openlocal.kube.crd.ResourceToBeInited.MountPointToInit;
import io.openlocal.kube.crd.ResourceToBeInited.VgToInit;
import io.openlocal.kube.crd.SpdkConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageSpecValidatorTest {

    private static NodeLocalStorageSpec spec(ListConfig list, ResourceToBeInited init, SpdkConfig spdk) {
        return new NodeLocalStorageSpec("n1", list, init, spdk);
    }

    @Test
    void openLocalDocumentedSpecHasNoProblems() {
        var list = new ListConfig(new IncludeExclude(List.of("/dev/vd[a-d]+"), List.of("/dev/vda", "/dev/vdb")),
                null, new IncludeExclude(List.of("share", "paas[0-9]*", "open-local-pool-[0-9]+"), null));
        var init = new ResourceToBeInited(List.of(new VgToInit("open-local-pool-0", List.of("/dev/vdb3"))),
                List.of(new MountPointToInit("/mnt/open-local/disk-1", "/dev/vdc", "ext4", List.of("defaults"))),
                List.of(new LvstoreToInit("lvs0", "nvme:0000:00:04.0", "4Mi")));
        assertThat(StorageSpecValidator.validate(spec(list, init, new SpdkConfig("nvme", "/var/tmp/spdk.sock"))))
                .isEmpty();
    }

    @Test
    void invalidRegularExpressionIsNamedByItsField() {
        var list = new ListConfig(null, null, new IncludeExclude(List.of("ok-[0-9]+", "pool-[0-9"), null));
        List<SpecProblem> problems = StorageSpecValidator.validate(spec(list, null, null));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("spec.listConfig.vgs.include[1]");
            assertThat(p.message()).contains("'pool-[0-9'", "not a valid regular expression").doesNotContain("\n");
        });
    }

    @Test
    void duplicateVgNamesAndDevicesListedTwiceAreBothReported() {
        var init = new ResourceToBeInited(List.of(
                new VgToInit("pool0", List.of("/dev/sdb")),
                new VgToInit("pool0", List.of("/dev/sdc", "/dev/sdb"))), null, null);
        List<String> problems = StorageSpecValidator.validate(spec(null, init, null)).stream()
                .map(SpecProblem::toString).toList();
        assertThat(problems).containsExactly(
                "spec.resourceToBeInited.vgs[1].name: duplicate VG name 'pool0' (also spec.resourceToBeInited.vgs[0])",
                "spec.resourceToBeInited.vgs[1].devices[1]: device '/dev/sdb' is also listed at "
                        + "spec.resourceToBeInited.vgs[0].devices[0]");
    }

    @Test
    void deviceNamesThatAreNotDevicePathsAndBadNamesAreRejected() {
        var init = new ResourceToBeInited(List.of(new VgToInit("-bad", List.of("sdb", "/dev/../etc/passwd")),
                new VgToInit("empty", List.of())), null, null);
        List<String> fields = StorageSpecValidator.validate(spec(null, init, null)).stream()
                .map(SpecProblem::field).toList();
        assertThat(fields).containsExactly("spec.resourceToBeInited.vgs[0].name",
                "spec.resourceToBeInited.vgs[0].devices[0]", "spec.resourceToBeInited.vgs[0].devices[1]",
                "spec.resourceToBeInited.vgs[1].devices");
    }

    @Test
    void negativeAndMalformedSizesAreRejected() {
        var init = new ResourceToBeInited(null, null, List.of(new LvstoreToInit("a", "/dev/sdb", "-4Mi"),
                new LvstoreToInit("b", "/dev/sdc", "0"), new LvstoreToInit("c", "/dev/sdd", "four")));
        List<String> problems = StorageSpecValidator.validate(spec(null, init, null)).stream()
                .map(SpecProblem::toString).toList();
        assertThat(problems).containsExactly(
                "spec.resourceToBeInited.lvstores[0].clusterSize: must be a positive quantity such as 4Mi, got '-4Mi'",
                "spec.resourceToBeInited.lvstores[1].clusterSize: must be greater than 0, got '0'",
                "spec.resourceToBeInited.lvstores[2].clusterSize: 'four' is not a quantity (expected e.g. 1024, "
                        + "500M, 256Mi, 1Gi)");
    }

    @Test
    void mountPointProblems() {
        var init = new ResourceToBeInited(null, List.of(
                new MountPointToInit("relative/path", "/dev/sdb", "ntfs", List.of("rw,exec")),
                new MountPointToInit("/mnt/a", "/dev/sdc", "xfs", null),
                new MountPointToInit("/mnt/a", "/dev/sdd", null, null)), null);
        List<String> fields = StorageSpecValidator.validate(spec(null, init, null)).stream()
                .map(SpecProblem::field).toList();
        assertThat(fields).containsExactly("spec.resourceToBeInited.mountpoints[0].path",
                "spec.resourceToBeInited.mountpoints[0].fsType", "spec.resourceToBeInited.mountpoints[0].options[0]",
                "spec.resourceToBeInited.mountpoints[2].path");
    }

    @Test
    void initConfigSelectorsAndEntriesAreCheckedWithTheirIndex() {
        var bad = new V1LabelSelector()
                .matchLabels(Map.of("kubernetes.io/hostname", "node 1"))
                .matchExpressions(List.of(
                        new V1LabelSelectorRequirement().key("zone").operator("Within").values(List.of("a")),
                        new V1LabelSelectorRequirement().key("disk").operator("In"),
                        new V1LabelSelectorRequirement().key("ssd").operator("Exists").values(List.of("x"))));
        var spec = new NodeLocalStorageInitConfigSpec(
                new GlobalConfig(new ListConfig(null, null, new IncludeExclude(List.of("("), null)), null, null),
                List.of(new NodeConfig(bad, null, new ResourceToBeInited(List.of(
                        new VgToInit("p", List.of("/dev/sdb")), new VgToInit("p", List.of("/dev/sdc"))), null, null),
                        null)));
        List<String> fields = StorageSpecValidator.validate(spec).stream().map(SpecProblem::field).toList();
        assertThat(fields).containsExactly("spec.globalConfig.listConfig.vgs.include[0]",
                "spec.nodesConfig[0].selector.matchLabels[kubernetes.io/hostname]",
                "spec.nodesConfig[0].selector.matchExpressions[0].operator",
                "spec.nodesConfig[0].selector.matchExpressions[1].values",
                "spec.nodesConfig[0].selector.matchExpressions[2].values",
                "spec.nodesConfig[0].resourceToBeInited.vgs[1].name");
    }

    @Test
    void spdkSocketMustBeAbsolute() {
        assertThat(StorageSpecValidator.validate(spec(null, null, new SpdkConfig("toolongtype", "spdk.sock"))))
                .extracting(SpecProblem::field)
                .containsExactly("spec.spdkConfig.deviceType", "spec.spdkConfig.rpcSocket");
    }
}
