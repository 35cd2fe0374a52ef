package io.openlocal.backend.spdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.spdk.export.NvmfExport;
import io.openlocal.backend.spdk.node.NvmeSubsystems;
import io.openlocal.backend.spdk.node.NvmeTcpAttacher;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.testinfra.spdk.ShortTempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node side of NVMe-oF/TCP at the command level. This machine's kernel has no NVMe/TCP initiator
 * (no nvme-tcp module, no /dev/nvme-fabrics), so a real connect cannot succeed here: the tests check the
 * exact argv given to nvme-cli, the parsing of {@code nvme list-subsys -o json} output as nvme-cli 2.x
 * prints it, and the lookup of the namespace in a sysfs tree laid out as the kernel lays it out (native
 * multipath and not). One test runs the real nvme-cli to show the failure is reported with its stderr.
 */
class NvmeTcpAttacherTest {

    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:5c2a3a38-2a54-3b86-9a64-3d5b7e52e6b1";
    private static final String NQN = "nqn.2024-11.io.openlocal:node-a:p:vol-1";
    private static final String UUID = "182d3ce2-387d-44f3-92e3-fc0b4d429310";

    private final ShortTempDir dir = ShortTempDir.create();
    private final List<List<String>> ran = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        dir.close();
    }

    private static NvmfExport export() {
        return new NvmfExport(new VolumeRef(PoolType.SPDK, "p", "vol-1"), NQN, "127.0.0.1", "IPv4", 4420, HOST, 1, UUID);
    }

    /** A runner that records argv and answers from a script (the boundary to nvme-cli, not the unit under test). */
    private CommandRunner runner(Function<List<String>, CommandResult> script) {
        return command -> {
            ran.add(command.argv());
            return script.apply(command.argv());
        };
    }

    private static CommandResult ok(Command c, String stdout) {
        return new CommandResult(c, 0, stdout, "", 1);
    }

    private static String listSubsys(String subsysName, String controller) {
        return """
                [
                  {
                    "HostNQN":"%s",
                    "HostID":"5c2a3a38-2a54-3b86-9a64-3d5b7e52e6b1",
                    "Subsystems":[
                      {
                        "Name":"nvme-subsys0",
                        "NQN":"nqn.2014-08.org.nvmexpress:uuid:other",
                        "Paths":[{"Name":"nvme0","Transport":"pcie","Address":"0000:00:04.0","State":"live"}]
                      },
                      {
                        "Name":"%s",
                        "NQN":"%s",
                        "Paths":[{"Name":"%s","Transport":"tcp","Address":"traddr=127.0.0.1,trsvcid=4420,src_addr=127.0.0.1","State":"live"}]
                      }
                    ]
                  }
                ]
                """.formatted(HOST, subsysName, NQN, controller);
    }

    /** sysfs as the kernel lays it out: namespaces under the subsystem (multipath) or the controller. */
    private Path sysfs(boolean multipath) throws IOException {
        Path root = dir.resolve("sys");
        Path block = Files.createDirectories(root.resolve("block/nvme1n1"));
        Files.writeString(block.resolve("uuid"), UUID + "\n");
        Files.writeString(block.resolve("nguid"), UUID + "\n");
        Path other = Files.createDirectories(root.resolve("block/nvme0n1"));
        Files.writeString(other.resolve("uuid"), "00000000-0000-0000-0000-000000000001\n");
        Path parent = multipath ? root.resolve("class/nvme-subsystem/nvme-subsys1") : root.resolve("class/nvme/nvme1");
        Files.createDirectories(parent);
        Files.createSymbolicLink(parent.resolve("nvme1n1"), block);
        Files.createDirectories(root.resolve("class/nvme-subsystem/nvme-subsys0"));
        Files.createSymbolicLink(root.resolve("class/nvme-subsystem/nvme-subsys0/nvme0n1"), other);
        return root;
    }

    @Test
    void attachRunsNvmeConnectWithTheExactArgumentsThenFindsTheDeviceByNamespaceUuid() throws IOException {
        Path sysfs = sysfs(true);
        boolean[] connected = {false};
        NvmeTcpAttacher attacher = new NvmeTcpAttacher(runner(argv -> {
            Command c = new Command(argv, Duration.ofSeconds(1), java.util.Map.of());
            if (argv.get(1).equals("connect")) {
                connected[0] = true;
                return ok(c, "");
            }
            return ok(c, connected[0] ? listSubsys("nvme-subsys1", "nvme1") : "[]");
        }), sysfs, HOST, Duration.ofSeconds(2));

        assertThat(attacher.attach(export())).isEqualTo(Path.of("/dev/nvme1n1"));
        assertThat(ran).contains(List.of("nvme", "connect", "--transport=tcp", "--traddr=127.0.0.1", "--trsvcid=4420",
                "--nqn=" + NQN, "--hostnqn=" + HOST));
        assertThat(ran).contains(List.of("nvme", "list-subsys", "-o", "json"));
    }

    @Test
    void theInitiatorModuleIsLoadedBeforeTheFirstConnectAndAFailedLoadStopsThere() throws IOException {
        Path sysfs = sysfs(true);
        boolean[] connected = {false};
        NvmeTcpAttacher attacher = new NvmeTcpAttacher(runner(argv -> {
            Command c = new Command(argv, Duration.ofSeconds(1), java.util.Map.of());
            if (argv.get(0).equals("modprobe")) {
                return new CommandResult(c, 1, "", "modprobe: FATAL: Module nvme-tcp not found in directory "
                        + "/lib/modules/6.1.0\n", 1);
            }
            return ok(c, "[]");
        }), sysfs, HOST, Duration.ofSeconds(1));
        assertThatThrownBy(() -> attacher.attach(export())).isInstanceOf(StorageException.Unavailable.class)
                .hasMessageContaining("nvme-tcp").hasMessageContaining("Module nvme-tcp not found");
        assertThat(ran).contains(List.of("modprobe", "nvme-tcp")).noneMatch(argv -> argv.contains("connect"));

        // Loaded already (sysfs lists the module): straight to the connect.
        ran.clear();
        Files.createDirectories(sysfs.resolve("module/nvme_tcp"));
        NvmeTcpAttacher loaded = new NvmeTcpAttacher(runner(argv -> {
            Command c = new Command(argv, Duration.ofSeconds(1), java.util.Map.of());
            if (argv.get(1).equals("connect")) {
                connected[0] = true;
                return ok(c, "");
            }
            return ok(c, connected[0] ? listSubsys("nvme-subsys1", "nvme1") : "[]");
        }), sysfs, HOST, Duration.ofSeconds(2));
        assertThat(loaded.attach(export())).isEqualTo(Path.of("/dev/nvme1n1"));
        assertThat(ran).noneMatch(argv -> argv.get(0).equals("modprobe"));
    }

    @Test
    void attachWhenAlreadyConnectedOnlyLooksTheDeviceUpAndWorksWithoutMultipath() throws IOException {
        Path sysfs = sysfs(false);
        NvmeTcpAttacher attacher = new NvmeTcpAttacher(runner(argv -> ok(new Command(argv, Duration.ofSeconds(1),
                java.util.Map.of()), listSubsys("nvme-subsys1", "nvme1"))), sysfs, HOST, Duration.ofSeconds(1));
        assertThat(attacher.attach(export())).isEqualTo(Path.of("/dev/nvme1n1"));
        assertThat(ran).noneMatch(argv -> argv.contains("connect"));
    }

    @Test
    void aConnectThatFailsIsUnavailableWithNvmeClisStderr() throws IOException {
        Path sysfs = sysfs(true);
        NvmeTcpAttacher attacher = new NvmeTcpAttacher(runner(argv -> {
            Command c = new Command(argv, Duration.ofSeconds(1), java.util.Map.of());
            return argv.get(1).equals("connect")
                    ? new CommandResult(c, 1, "", "Failed to write to /dev/nvme-fabrics: Connection refused\n", 1)
                    : ok(c, "[]");
        }), sysfs, HOST, Duration.ofSeconds(1));
        assertThatThrownBy(() -> attacher.attach(export())).isInstanceOf(StorageException.Unavailable.class)
                .hasMessageContaining("Connection refused").hasMessageContaining(NQN);
    }

    @Test
    void aDeviceThatNeverAppearsIsReportedAfterTheWait() throws IOException {
        Path sysfs = sysfs(true);
        NvmeTcpAttacher attacher = new NvmeTcpAttacher(runner(argv -> ok(new Command(argv, Duration.ofSeconds(1),
                java.util.Map.of()), listSubsys("nvme-subsys9", "nvme9"))), sysfs, HOST, Duration.ofMillis(300));
        assertThatThrownBy(() -> attacher.attach(export())).isInstanceOf(StorageException.Unavailable.class)
                .hasMessageContaining("no block device").hasMessageContaining(UUID);
    }

    @Test
    void detachDisconnectsOnlyWhenConnected() throws IOException {
        Path sysfs = sysfs(true);
        boolean[] connected = {true};
        NvmeTcpAttacher attacher = new NvmeTcpAttacher(runner(argv -> {
            Command c = new Command(argv, Duration.ofSeconds(1), java.util.Map.of());
            if (argv.get(1).equals("disconnect")) {
                connected[0] = false;
                return ok(c, "NQN:" + NQN + " disconnected 1 controller(s)\n");
            }
            return ok(c, connected[0] ? listSubsys("nvme-subsys1", "nvme1") : "[]");
        }), sysfs, HOST, Duration.ofSeconds(1));
        attacher.detach(NQN);
        attacher.detach(NQN);
        assertThat(ran.stream().filter(a -> a.get(1).equals("disconnect")).toList())
                .containsExactly(List.of("nvme", "disconnect", "--nqn=" + NQN));
    }

    @Test
    void listSubsysOutputOfOldAndNewNvmeCliIsParsed() {
        List<NvmeSubsystems.Subsystem> parsed = NvmeSubsystems.parse(listSubsys("nvme-subsys1", "nvme1"));
        assertThat(parsed).extracting(NvmeSubsystems.Subsystem::nqn).containsExactly("nqn.2014-08.org.nvmexpress:uuid:other", NQN);
        assertThat(parsed.get(1).controllers()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("nvme1");
            assertThat(c.transport()).isEqualTo("tcp");
            assertThat(c.address()).contains("traddr=127.0.0.1");
        });
        String oneHostObject = """
                {"HostNQN":"%s","Subsystems":[{"Name":"nvme-subsys3","NQN":"%s","Paths":[{"Name":"nvme3","Transport":"tcp","Address":"traddr=10.0.0.2,trsvcid=4420","State":"connecting","ANAState":"optimized"}]}]}
                """.formatted(HOST, NQN);
        assertThat(NvmeSubsystems.parse(oneHostObject)).singleElement()
                .satisfies(s -> assertThat(s.controllers().getFirst().state()).isEqualTo("connecting"));
        assertThat(NvmeSubsystems.parse("")).isEmpty();
        assertThatThrownBy(() -> NvmeSubsystems.parse("Failed to scan")).isInstanceOf(StorageException.Internal.class);
    }

    @Test
    void badExportsAreRefusedBeforeAnyCommandRuns() throws IOException {
        NvmeTcpAttacher attacher = new NvmeTcpAttacher(runner(argv -> {
            throw new AssertionError("no command may run: " + argv);
        }), sysfs(true), HOST, Duration.ofSeconds(1));
        NvmfExport e = export();
        assertThatThrownBy(() -> attacher.attach(new NvmfExport(e.volume(), "not-an-nqn", e.address(), e.adrfam(), 4420,
                HOST, 1, UUID))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> attacher.attach(new NvmfExport(e.volume(), NQN, "host; rm -rf /", e.adrfam(), 4420,
                HOST, 1, UUID))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> attacher.attach(new NvmfExport(e.volume(), NQN, e.address(), e.adrfam(), 0, HOST, 1,
                UUID))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> attacher.attach(new NvmfExport(e.volume(), NQN, e.address(), e.adrfam(), 4420, HOST,
                1, "x"))).isInstanceOf(StorageException.InvalidArgument.class);
        assertThat(ran).isEmpty();
    }

    @Test
    void theRealNvmeCliOnThisKernelFailsToConnectWithAClearError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nvme")),
                "nvme-cli is not installed (package nvme-cli); the scripted tests above cover the commands");
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvme-fabrics")),
                "this kernel has an NVMe-oF initiator; this test shows the failure path where it has none");
        NvmeTcpAttacher attacher = new NvmeTcpAttacher(ProcessCommandRunner.standard(), Path.of("/sys"), HOST,
                Duration.ofSeconds(1));
        // Without the module, loading it fails first (or, where modprobe works but the module is missing, the
        // connect fails): either way the error names what is missing.
        assertThatThrownBy(() -> attacher.attach(export())).isInstanceOf(StorageException.Unavailable.class)
                .satisfiesAnyOf(e -> assertThat(e).hasMessageContaining("module nvme-tcp"),
                        e -> assertThat(e).hasMessageContaining("nvme connect --transport=tcp"));
        assertThat(attacher.subsystems()).isEmpty();
        attacher.detach(NQN); // nothing connected: nothing to do
    }
}
