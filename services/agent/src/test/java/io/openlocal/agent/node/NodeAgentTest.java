package io.openlocal.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.openlocal.agent.backend.NodeBackends;
import io.openlocal.agent.init.InitOutcome.Result;
import io.openlocal.agent.init.ResourceInitializer;
import io.openlocal.agent.testing.MemoryNode;
import io.openlocal.agent.testing.TestClock;
import io.openlocal.backend.error.StorageException;
import io.openlocal.kube.crd.IncludeExclude;
import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import io.openlocal.kube.crd.ResourceToBeInited;
import io.openlocal.kube.crd.ResourceToBeInited.LvstoreToInit;
import io.openlocal.kube.crd.ResourceToBeInited.MountPointToInit;
import io.openlocal.kube.crd.ResourceToBeInited.VgToInit;
import io.openlocal.kube.crd.SpdkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's core on memory backends: spec in, status and notices out; no server, no API server. */
class NodeAgentTest {

    private MemoryNode node;
    private NodeBackends backends;
    private TestClock clock;
    private NodeAgent agent;

    @BeforeEach
    void setUp() {
        node = new MemoryNode().device("/dev/sdb", false).device("/dev/sdc", false).device("/dev/sdd", false);
        backends = node.backends();
        clock = new TestClock("2026-03-01T10:00:00Z");
        agent = new NodeAgent(backends, new ResourceInitializer(backends, node.existingDevices::contains, clock,
                Duration.ofSeconds(60), Duration.ofMinutes(30)), clock);
    }

    private static NodeLocalStorage nls(NodeLocalStorageSpec spec, NodeLocalStorageStatus status) {
        return new NodeLocalStorage(new V1ObjectMeta().name("node-1").generation(3L), spec, status);
    }

    private static NodeLocalStorageSpec spec(ListConfig list, ResourceToBeInited init) {
        return new NodeLocalStorageSpec("node-1", list, init, null);
    }

    private static ListConfig listAll() {
        return new ListConfig(new IncludeExclude(List.of("/dev/sd[b-z]"), List.of("/dev/sdb")), null,
                new IncludeExclude(List.of("pool[0-9]+"), null));
    }

    @Test
    void vgFromTwoDevicesIsCreatedAndReportedWithFilteredLists() {
        var spec = spec(listAll(), new ResourceToBeInited(
                List.of(new VgToInit("pool0", List.of("/dev/sdb", "/dev/sdc"))), null, null));
        PassResult r = agent.pass(nls(spec, null));

        assertThat(r.outcomes()).singleElement().satisfies(o -> assertThat(o.result()).isEqualTo(Result.CREATED));
        assertThat(r.changedNode()).isTrue();
        var vg = r.status().nodeStorageInfo().volumeGroups().getFirst();
        assertThat(vg.name()).isEqualTo("pool0");
        assertThat(vg.physicalVolumes()).containsExactly("/dev/sdb", "/dev/sdc");
        assertThat(vg.total()).isEqualTo(2L << 30);
        assertThat(r.status().filteredStorageInfo().volumeGroups()).containsExactly("pool0");
        assertThat(r.status().filteredStorageInfo().devices()).containsExactly("/dev/sdc", "/dev/sdd");
        assertThat(r.status().summary().volumeGroups()).isEqualTo(1);
        assertThat(r.status().summary().free()).isEqualTo("2Gi");
        assertThat(r.status().condition(Condition.RESOURCES_INITIALIZED).status()).isEqualTo("True");
        assertThat(r.status().condition(Condition.SPEC_VALID).observedGeneration()).isEqualTo(3L);
        assertThat(r.notices()).containsExactly(new Notice("Normal", "Initialized",
                "spec.resourceToBeInited.vgs[0]: created VG pool0 from /dev/sdb, /dev/sdc"));
    }

    @Test
    void secondPassOnAnInitialisedNodeChangesNothingAndRaisesNothing() {
        var spec = spec(listAll(), new ResourceToBeInited(
                List.of(new VgToInit("pool0", List.of("/dev/sdb"))), null, null));
        PassResult first = agent.pass(nls(spec, null));
        int inits = node.lvm.initCalls.get();
        clock.advance(Duration.ofMinutes(1));
        PassResult second = agent.pass(nls(spec, first.status()));

        assertThat(node.lvm.initCalls.get()).isEqualTo(inits);
        assertThat(second.outcomes()).singleElement().satisfies(o -> assertThat(o.result()).isEqualTo(Result.PRESENT));
        assertThat(second.notices()).isEmpty();
        assertThat(second.changedNode()).isFalse();
        // condition transition times stay; only heartbeat-like stamps move
        assertThat(second.status().conditions()).isEqualTo(first.status().conditions());
    }

    @Test
    void foreignDataIsRefusedReportedOnceAndRetriedOnlyAfterBackOff() {
        node.lvm.foreignData.put("/dev/sdc", "an ext4 filesystem");
        var spec = spec(listAll(), new ResourceToBeInited(
                List.of(new VgToInit("pool0", List.of("/dev/sdc"))), null, null));
        PassResult first = agent.pass(nls(spec, null));

        Condition c = first.status().condition(Condition.RESOURCES_INITIALIZED);
        assertThat(c.status()).isEqualTo("False");
        assertThat(c.reason()).isEqualTo("InitRefused");
        assertThat(c.message()).contains("spec.resourceToBeInited.vgs[0]", "/dev/sdc", "ext4");
        assertThat(first.notices()).singleElement().satisfies(n -> {
            assertThat(n.type()).isEqualTo("Warning");
            assertThat(n.reason()).isEqualTo("InitRefused");
        });
        assertThat(first.status().nodeStorageInfo().volumeGroups()).isEmpty();

        clock.advance(Duration.ofSeconds(30)); // inside the back-off: not tried, not raised again
        PassResult second = agent.pass(nls(spec, first.status()));
        assertThat(node.lvm.initCalls.get()).isEqualTo(1);
        assertThat(second.notices()).isEmpty();
        assertThat(second.status().condition(Condition.RESOURCES_INITIALIZED)).isEqualTo(c);

        clock.advance(Duration.ofSeconds(31));
        agent.pass(nls(spec, second.status()));
        assertThat(node.lvm.initCalls.get()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(61)); // the second back-off is 120 s
        agent.pass(nls(spec, second.status()));
        assertThat(node.lvm.initCalls.get()).isEqualTo(2);
    }

    @Test
    void invalidSpecPartsAreNotActedOnAndTheRestIs() {
        var list = new ListConfig(new IncludeExclude(List.of("/dev/sd[b-z"), null), null,
                new IncludeExclude(List.of("pool[0-9]+"), null));
        var spec = spec(list, new ResourceToBeInited(List.of(
                new VgToInit("pool0", List.of("/dev/sdb")),
                new VgToInit("pool1", List.of("sdc")),
                new VgToInit("dup", List.of("/dev/sdd")), new VgToInit("dup", List.of("/dev/sde"))),
                List.of(new MountPointToInit("/mnt/open-local/a", "/dev/sdz", "ext4", null)), null));
        PassResult r = agent.pass(nls(spec, null));

        assertThat(r.outcomes()).extracting(o -> o.result()).containsExactly(Result.CREATED, Result.INVALID,
                Result.INVALID, Result.INVALID, Result.REFUSED);
        assertThat(node.lvm.pools).extracting(p -> p.name()).containsExactly("pool0");
        assertThat(node.mountPoints.initCalls.get()).isZero();
        assertThat(r.outcomes().get(4).message()).contains("device /dev/sdz does not exist on this node");
        Condition valid = r.status().condition(Condition.SPEC_VALID);
        assertThat(valid.status()).isEqualTo("False");
        assertThat(valid.message()).contains("spec.listConfig.devices.include[0]", "spec.resourceToBeInited.vgs[1]"
                + ".devices[0]", "duplicate VG name 'dup'");
        // the device list with the bad pattern selects nothing; the VG list still works
        assertThat(r.status().filteredStorageInfo().devices()).isEmpty();
        assertThat(r.status().filteredStorageInfo().volumeGroups()).containsExactly("pool0");
        assertThat(r.status().filteredStorageInfo().updateStatusInfo().updateStatus()).isEqualTo("failed");
        assertThat(r.notices()).extracting(Notice::reason).containsExactly("InvalidSpec", "Initialized",
                "InitRefused");
    }

    @Test
    void lvstoresAreRefusedOnANonSpdkNodeAndCreatedThroughTheSpdkBackendWithTheSocketOnAnSpdkNode() {
        node.existingDevices.add("/dev/nvme0n1");
        var init = new ResourceToBeInited(null, null, List.of(new LvstoreToInit("lvs0", "/dev/nvme0n1", "4Mi")));
        PassResult plain = agent.pass(nls(new NodeLocalStorageSpec("node-1", null, init, null), null));
        assertThat(plain.outcomes().getFirst().result()).isEqualTo(Result.REFUSED);
        assertThat(plain.outcomes().getFirst().message()).contains("not an SPDK node");
        assertThat(node.spdk.contexts).isEmpty();

        var spdkSpec = new NodeLocalStorageSpec("node-1", new ListConfig(null, null,
                new IncludeExclude(List.of("lvs.*"), null)), init, new SpdkConfig("nvme", "/var/tmp/spdk.sock"));
        PassResult spdk = agent.pass(nls(spdkSpec, plain.status()));
        assertThat(spdk.outcomes().getFirst().result()).isEqualTo(Result.CREATED);
        assertThat(node.spdk.contexts).singleElement().satisfies(ctx -> {
            assertThat(ctx.settings()).containsEntry(NodeBackends.SPDK_SOCKET_SETTING, "/var/tmp/spdk.sock")
                    .containsEntry("timeoutSeconds", "5");
            assertThat(ctx.stateDir()).isEqualTo(Path.of("/var/tmp/open-local-memory-node/backends/spdk"));
        });
        assertThat(node.spdk.pools.getFirst().attributes()).containsEntry("clusterSizeBytes", "4194304");
        // a block device path becomes an AIO bdev over it, in the SPDK backend's syntax
        assertThat(node.spdk.pools.getFirst().devices()).containsExactly("aio:/dev/nvme0n1");
        assertThat(spdk.status().nodeStorageInfo().spdkStores()).extracting(s -> s.name()).containsExactly("lvs0");
        assertThat(spdk.status().filteredStorageInfo().spdkStores()).containsExactly("lvs0");

        // socket removed: the node is no longer an SPDK node and the SPDK backend is not asked again
        int calls = node.spdk.poolsCalls.get();
        agent.pass(nls(new NodeLocalStorageSpec("node-1", null, null, null), spdk.status()));
        assertThat(node.spdk.poolsCalls.get()).isEqualTo(calls);
    }

    @Test
    void failedBackendKeepsItsLastReportAndSaysSo() {
        node.lvm.withPool("pool0", 100, 40, "/dev/sdb");
        var spec = spec(listAll(), null);
        PassResult ok = agent.pass(nls(spec, null));
        node.lvm.failDiscovery = new StorageException.Unavailable("'lvm fullreport' exited 5: locking failed");
        PassResult failed = agent.pass(nls(spec, ok.status()));

        assertThat(failed.status().nodeStorageInfo().volumeGroups())
                .isEqualTo(ok.status().nodeStorageInfo().volumeGroups());
        Condition d = failed.status().condition(Condition.DISCOVERED);
        assertThat(d.status()).isEqualTo("False");
        assertThat(d.message()).isEqualTo("LVM: 'lvm fullreport' exited 5: locking failed");
        assertThat(failed.notices()).extracting(Notice::reason).containsExactly("DiscoveryFailed");
    }

    @Test
    void noSpecAtAllGivesADiscoveryOnlyStatus() {
        node.lvm.withPool("vg-foreign", 100, 100, "/dev/sdb");
        PassResult r = agent.pass(nls(null, null));
        assertThat(r.status().nodeStorageInfo().volumeGroups()).hasSize(1);
        assertThat(r.status().nodeStorageInfo().deviceInfo()).hasSize(3);
        assertThat(r.status().filteredStorageInfo().volumeGroups()).isEmpty();
        assertThat(r.status().condition(Condition.RESOURCES_INITIALIZED).reason()).isEqualTo("NothingToInitialize");
        assertThat(r.notices()).isEmpty();
        // Device and MountPoint share their records (claims) directory; LVM has its own
        assertThat(node.devices.contexts.getFirst().stateDir())
                .isEqualTo(node.mountPoints.contexts.getFirst().stateDir())
                .isEqualTo(Path.of("/var/tmp/open-local-memory-node/backends/device"));
        assertThat(node.lvm.contexts.getFirst().stateDir().getFileName().toString()).isEqualTo("lvm");
    }
}
