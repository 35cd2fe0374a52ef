package io.openlocal.backend.spdk;

import static io.openlocal.backend.spdk.SpdkFixture.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.spdk.export.Nqn;
import io.openlocal.backend.spdk.export.NvmfExport;
import io.openlocal.backend.spdk.export.VhostExport;
import io.openlocal.backend.spdk.target.SubsystemInfo;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.backend.volume.VolumeSpec;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpdkExportsTest {

    private SpdkFixture fx;
    private SpdkBackend backend;
    private final VolumeRef vol = new VolumeRef(PoolType.SPDK, "p", "vol-1");

    @BeforeEach
    void setUp() {
        fx = new SpdkFixture();
        backend = fx.backend();
        fx.pool(backend, "p", 64);
        backend.createVolume(VolumeSpec.of("p", "vol-1", 8 * MiB));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void anNvmfExportIsASubsystemForOnlyThisNodesHostWithTheLvolAsNamespace() {
        NvmfExport export = backend.exports().exportNvmf(vol);
        String uuid = backend.volume(vol).orElseThrow().attributes().get("uuid");
        assertThat(export.nqn()).isEqualTo("nqn.2024-11.io.openlocal:node-a:p:vol-1");
        assertThat(export.address()).isEqualTo("127.0.0.1");
        assertThat(export.port()).isEqualTo(4420);
        assertThat(export.namespaceUuid()).isEqualTo(uuid);
        assertThat(export.hostNqn()).isEqualTo(Nqn.defaultHostNqn("node-a")).startsWith("nqn.2014-08.org.nvmexpress:uuid:");
        SubsystemInfo sub = backend.target().subsystem(export.nqn()).orElseThrow();
        assertThat(sub.allowAnyHost()).isFalse();
        assertThat(sub.hosts()).containsExactly(export.hostNqn());
        assertThat(sub.namespaces()).singleElement().satisfies(ns -> {
            assertThat(ns.bdevName()).isEqualTo(uuid);
            assertThat(ns.uuid()).isEqualTo(uuid);
            assertThat(ns.nsid()).isEqualTo(export.nsid());
        });
        assertThat(sub.listeners()).containsExactly(new SubsystemInfo.ListenAddress("TCP", "IPv4", "127.0.0.1", "4420"));
        assertThat(backend.target().hasTransport("TCP")).isTrue();
        NvmfExport again = backend.exports().exportNvmf(vol);
        assertThat(again).isEqualTo(export);
        assertThat(backend.exports().nvmfExports()).extracting(NvmfExport::nqn).containsExactly(export.nqn());
    }

    @Test
    void listenerAddressPortAndHostComeFromTheSettings() {
        Map<String, String> settings = fx.settings();
        settings.put(SpdkSettings.NVMF_ADDRESS, "::1");
        settings.put(SpdkSettings.NVMF_PORT, "4421");
        settings.put(SpdkSettings.HOST_NQN, "nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555");
        SpdkBackend other = fx.backend(settings);
        NvmfExport export = other.exports().exportNvmf(vol);
        SubsystemInfo sub = other.target().subsystem(export.nqn()).orElseThrow();
        assertThat(sub.listeners()).containsExactly(new SubsystemInfo.ListenAddress("TCP", "IPv6", "::1", "4421"));
        assertThat(sub.hosts()).containsExactly("nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555");
    }

    @Test
    void unexportIsIdempotentAndRemovesTheSubsystem() {
        NvmfExport export = backend.exports().exportNvmf(vol);
        backend.exports().unexport(vol);
        backend.exports().unexport(vol);
        assertThat(backend.target().subsystem(export.nqn())).isEmpty();
        assertThat(backend.exports().nvmfExports()).isEmpty();
        backend.exports().unexport(new VolumeRef(PoolType.SPDK, "p", "never-exported"));
    }

    @Test
    void aVhostExportCreatesTheControllerSocketAndExcludesAnNvmfExport() {
        VhostExport export = backend.exports().exportVhost(vol);
        assertThat(export.controller()).isEqualTo("p@vol-1");
        assertThat(export.socket()).isEqualTo(fx.dir.resolve("p@vol-1"));
        assertThat(Files.exists(export.socket())).isTrue();
        assertThat(backend.exports().exportVhost(vol)).isEqualTo(export);
        assertThatThrownBy(() -> backend.exports().exportNvmf(vol)).isInstanceOf(StorageException.AlreadyExists.class)
                .hasMessageContaining("vhost");
        backend.exports().unexport(vol);
        assertThat(Files.exists(export.socket())).isFalse();
        assertThat(backend.target().vhostControllers()).isEmpty();
    }

    @Test
    void deletingAVolumeRemovesItsExport() {
        NvmfExport export = backend.exports().exportNvmf(vol);
        backend.deleteVolume(vol);
        assertThat(backend.target().subsystem(export.nqn())).isEmpty();
        assertThat(backend.exports().nvmfExports()).isEmpty();
    }

    @Test
    void exportsOfMissingOrBadlyNamedVolumesAreRefusedAndLeaveNothing() {
        assertThatThrownBy(() -> backend.exports().exportNvmf(new VolumeRef(PoolType.SPDK, "p", "absent")))
                .isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> backend.exports().exportNvmf(new VolumeRef(PoolType.SPDK, "p", "a/b")))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> backend.exports().exportVhost(new VolumeRef(PoolType.LVM, "p", "vol-1")))
                .isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(backend.target().subsystems()).isEmpty();
        assertThat(backend.exports().nvmfExports()).isEmpty();
    }

    @Test
    void aFailedExportIsRolledBack() {
        fx.target.faults().garbage("nvmf_subsystem_add_listener");
        assertThatThrownBy(() -> backend.exports().exportNvmf(vol)).isInstanceOf(StorageException.Unavailable.class);
        fx.target.faults().clear();
        assertThat(backend.exports().nvmfExports()).isEmpty();
        // The rollback reconnected and deleted the half-made subsystem; the export works on a retry.
        assertThat(backend.target().subsystems()).isEmpty();
        NvmfExport export = backend.exports().exportNvmf(vol);
        assertThat(backend.target().subsystem(export.nqn()).orElseThrow().listeners()).hasSize(1);
    }
}
