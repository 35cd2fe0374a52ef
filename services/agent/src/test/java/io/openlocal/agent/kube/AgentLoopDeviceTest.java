package io.openlocal.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.openlocal.agent.AgentConfig;
import io.openlocal.agent.AgentConfig.BackendConfig;
import io.openlocal.agent.AgentDaemon;
import io.openlocal.agent.AgentHandle;
import io.openlocal.agent.backend.NodeBackends;
import io.openlocal.agent.init.InitOutcome;
import io.openlocal.agent.init.ResourceInitializer;
import io.openlocal.agent.node.NodeAgent;
import io.openlocal.agent.node.PassResult;
import io.openlocal.agent.testing.HostTools;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.naming.Quantities;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.progress.ProgressReport;
import io.openlocal.kube.client.KubeClients;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.IncludeExclude;
import io.openlocal.kube.crd.ListConfig;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import io.openlocal.kube.crd.NodeLocalStorageStatus.DeviceInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.VolumeGroup;
import io.openlocal.kube.crd.ResourceToBeInited;
import io.openlocal.kube.crd.ResourceToBeInited.VgToInit;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import io.openlocal.testinfra.loop.LoopDevice;
import io.openlocal.testinfra.loop.LoopDevices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent with its real backends (lvm2, lsblk/blkid, mkfs/mount through the Device, MountPoint and LVM
 * backends found by ServiceLoader) on real loop devices, talking to the API-server emulator with client-java.
 * Loop devices are named {@code loopN}, so the Device backend's include pattern is {@code ^loop[0-9]+$}; the
 * LVM backend works without device-mapper by keeping LVs inactive (this kernel has none).
 */
class AgentLoopDeviceTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    @RegisterExtension
    static final LoopDevices loops = new LoopDevices();

    private static final long LOOP_BYTES = 64L * 1024 * 1024;
    private static final String NLS_PATH = "/apis/csi.aliyun.com/v1alpha1/nodelocalstorages";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AgentHandle> agents = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();

    @AfterEach
    void stop() {
        agents.forEach(AgentHandle::close);
        agents.clear();
        cleanups.forEach(Runnable::run);
        cleanups.clear();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static Map<PoolType, BackendConfig> backends(Path mountRoot, String lvmCacheMillis) {
        Map<String, String> device = Map.of("device.include", "^loop[0-9]+$", "mountpoint.root", mountRoot.toString());
        return Map.of(PoolType.LVM, new BackendConfig(true, Map.of("reportCacheTtlMillis", lvmCacheMillis)),
                PoolType.DEVICE, new BackendConfig(true, device),
                PoolType.MOUNT_POINT, new BackendConfig(true, device),
                PoolType.SPDK, new BackendConfig(false, Map.of()));
    }

    private AgentHandle startAgent(String node, Path stateDir, Path mountRoot) throws Exception {
        return startAgent(node, stateDir, mountRoot, ProcessCommandRunner.standard());
    }

    private AgentHandle startAgent(String node, Path stateDir, Path mountRoot, CommandRunner runner)
            throws Exception {
        AgentConfig config = new AgentConfig(node, Duration.ofSeconds(2), stateDir, Duration.ofMinutes(30),
                Optional.of(api.url()), Optional.empty(), "127.0.0.1", 0, backends(mountRoot, "1000"));
        ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
        AgentHandle handle = AgentDaemon.start(config, new AgentDaemon.Wiring(BackendRegistry.load(),
                runner, p -> Files.exists(Path.of(p)), Clock.systemUTC(), client));
        agents.add(handle);
        return handle;
    }

    private static void createNls(String name, NodeLocalStorageSpec spec) throws Exception {
        ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
        Crds.nodeLocalStorages(client).create(new NodeLocalStorage(new V1ObjectMeta().name(name), spec, null))
                .throwsApiException();
    }

    private static NodeLocalStorage read(String name) throws Exception {
        ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
        return Crds.nodeLocalStorages(client).get(name).throwsApiException().getObject();
    }

    private static NodeLocalStorageStatus status(String name) throws Exception {
        return read(name).getStatus();
    }

    private static List<JsonObject> events(String name) {
        // Emulator gap: the involvedObject.name field selector is ignored, so filter here.
        JsonArray items = JsonParser.parseString(api.request("GET", "/api/v1/namespaces/default/events", null)
                .body()).getAsJsonObject().getAsJsonArray("items");
        return StreamSupport.stream(items.spliterator(), false).map(e -> e.getAsJsonObject())
                .filter(e -> e.getAsJsonObject("involvedObject").get("name").getAsString().equals(name)).toList();
    }

    private void removeVgAfter(String vg, List<String> devices) {
        cleanups.add(() -> HostTools.removeVgQuietly(vg, devices));
    }

    private static DeviceInfo device(NodeLocalStorageStatus s, String path) {
        return s.nodeStorageInfo().deviceInfo().stream().filter(d -> d.name().equals(path)).findFirst().orElseThrow();
    }

    // ---- behaviour --------------------------------------------------------------------------------------------

    @Test
    void vgFromTwoLoopsIsCreatedReportedWithTheHostsSizesFilteredAndARestartChangesNothing() throws Exception {
        LoopDevice a = loops.create(LOOP_BYTES);
        LoopDevice b = loops.create(LOOP_BYTES);
        LoopDevice spare = loops.create(LOOP_BYTES, true);
        String vg = HostTools.uniqueVgName();
        removeVgAfter(vg, List.of(a.path(), b.path()));
        Path state = loops.directory("state");
        Path mounts = loops.directory("mnt");

        createNls("loop-node-1", new NodeLocalStorageSpec("loop-node-1",
                new ListConfig(new IncludeExclude(List.of(a.path(), spare.path()), List.of(a.path())), null,
                        new IncludeExclude(List.of(vg), null)),
                new ResourceToBeInited(List.of(new VgToInit(vg, List.of(a.path(), b.path()))), null, null), null));
        AgentHandle first = startAgent("loop-node-1", state, mounts);

        await().atMost(WAIT).until(() -> status("loop-node-1") != null
                && status("loop-node-1").filteredStorageInfo().volumeGroups().contains(vg));
        NodeLocalStorageStatus s = status("loop-node-1");
        JsonNode host = HostTools.vg(vg);
        assertThat(host).isNotNull();
        assertThat(host.path("pv_count").asInt()).isEqualTo(2);
        VolumeGroup reported = s.nodeStorageInfo().volumeGroups().stream().filter(v -> v.name().equals(vg))
                .findFirst().orElseThrow();
        assertThat(reported.total()).isEqualTo(host.path("vg_size").asLong());
        assertThat(reported.available()).isEqualTo(host.path("vg_free").asLong());
        assertThat(reported.allocatable()).isEqualTo(host.path("vg_size").asLong());
        assertThat(reported.total()).isBetween(2 * LOOP_BYTES - 16L * 1024 * 1024, 2 * LOOP_BYTES);
        assertThat(reported.physicalVolumes()).containsExactlyInAnyOrder(a.path(), b.path());
        assertThat(reported.condition()).isEqualTo("DiskReady");

        assertThat(s.filteredStorageInfo().volumeGroups()).containsExactly(vg);
        assertThat(s.filteredStorageInfo().devices()).containsExactly(spare.path());
        assertThat(device(s, spare.path())).isEqualTo(new DeviceInfo(spare.path(), "ssd", false, LOOP_BYTES,
                "DiskReady"));
        assertThat(device(s, a.path()).condition()).isEqualTo("DiskFull"); // an LVM PV now: not free
        assertThat(s.summary().volumeGroups()).isEqualTo(1);
        assertThat(s.summary().free()).isEqualTo(Quantities.format(host.path("vg_free").asLong()));
        assertThat(s.summary().freeDevices()).isEqualTo(1);
        assertThat(s.condition(Condition.RESOURCES_INITIALIZED).reason()).isEqualTo("AllPresent");
        assertThat(s.condition(Condition.DISCOVERED).status()).as(s.condition(Condition.DISCOVERED).message())
                .isEqualTo("True");
        assertThat(events("loop-node-1")).extracting(e -> e.get("reason").getAsString()).containsExactly("Initialized");
        // The real pvcreate and vgcreate runs are timed on the agent's /metrics, by program and outcome.
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + first.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("# TYPE openlocal_backend_command_seconds histogram")
                .contains("openlocal_backend_command_seconds_count{outcome=\"ok\",program=\"vgcreate\"} 1")
                .contains("openlocal_backend_command_seconds_bucket{outcome=\"ok\",program=\"vgcreate\",le=\"+Inf\"} 1")
                .containsPattern("openlocal_backend_command_seconds_count\\{outcome=\"ok\",program=\"pvcreate\"} [12]")
                .containsPattern("openlocal_backend_command_seconds_count\\{outcome=\"ok\",program=\"fullreport\"} "
                        + "[1-9]");

        // restart: same node, nothing on disk or in the API server changes
        long passes = first.passes();
        await().atMost(WAIT).until(() -> first.passes() >= passes + 2);
        String version = read("loop-node-1").getMetadata().getResourceVersion();
        String vgsBefore = HostTools.allVgs();
        first.close();
        agents.remove(first);
        AgentHandle second = startAgent("loop-node-1", state, mounts);
        await().atMost(WAIT).until(() -> second.passes() >= 3);
        assertThat(read("loop-node-1").getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(HostTools.allVgs()).isEqualTo(vgsBefore);
        assertThat(events("loop-node-1")).hasSize(1);
    }

    @Test
    void loopWithAForeignFilesystemIsRefusedReportedAndLeftUntouched() throws Exception {
        LoopDevice foreign = loops.create(LOOP_BYTES);
        HostTools.mkfsExt4(foreign.path());
        String before = HostTools.blkid(foreign.path());
        assertThat(before).contains("TYPE=ext4");
        String vgsBefore = HostTools.allVgs();
        String vg = HostTools.uniqueVgName();
        removeVgAfter(vg, List.of());

        createNls("loop-node-2", new NodeLocalStorageSpec("loop-node-2", null,
                new ResourceToBeInited(List.of(new VgToInit(vg, List.of(foreign.path()))), null, null), null));
        AgentHandle agent = startAgent("loop-node-2", loops.directory("state"), loops.directory("mnt"));

        await().atMost(WAIT).until(() -> status("loop-node-2") != null && "InitRefused".equals(
                status("loop-node-2").condition(Condition.RESOURCES_INITIALIZED).reason()));
        Condition refused = status("loop-node-2").condition(Condition.RESOURCES_INITIALIZED);
        assertThat(refused.status()).isEqualTo("False");
        assertThat(refused.message()).contains("spec.resourceToBeInited.vgs[0]", foreign.path(), "ext4");
        await().atMost(WAIT).until(() -> !events("loop-node-2").isEmpty());
        long passes = agent.passes();
        await().atMost(WAIT).until(() -> agent.passes() >= passes + 2);
        assertThat(events("loop-node-2")).singleElement().satisfies(e -> {
            assertThat(e.get("type").getAsString()).isEqualTo("Warning");
            assertThat(e.get("reason").getAsString()).isEqualTo("InitRefused");
            assertThat(e.get("message").getAsString()).contains(foreign.path());
        });
        assertThat(device(status("loop-node-2"), foreign.path()).condition()).isEqualTo("DiskFull");
        assertThat(HostTools.blkid(foreign.path())).isEqualTo(before);
        assertThat(HostTools.allVgs()).isEqualTo(vgsBefore);
    }

    @Test
    void mountPointIsMadeOnALoopAndReported() throws Exception {
        LoopDevice disk = loops.create(LOOP_BYTES);
        Path root = loops.directory("mnt");
        String path = root.resolve("disk-1").toString();
        createNls("loop-node-3", new NodeLocalStorageSpec("loop-node-3",
                new ListConfig(null, new IncludeExclude(List.of(root + "/disk-[0-9]+"), null), null),
                new ResourceToBeInited(null, List.of(new ResourceToBeInited.MountPointToInit(path, disk.path(),
                        "ext4", List.of())), null), null));
        startAgent("loop-node-3", loops.directory("state"), root);

        await().atMost(WAIT).until(() -> status("loop-node-3") != null
                && status("loop-node-3").filteredStorageInfo().mountPoints().contains(path));
        var mp = status("loop-node-3").nodeStorageInfo().mountPoints().stream().filter(m -> m.name().equals(path))
                .findFirst().orElseThrow();
        assertThat(mp.fsType()).isEqualTo("ext4");
        assertThat(mp.device()).isEqualTo(disk.path());
        assertThat(mp.total()).isPositive().isLessThanOrEqualTo(LOOP_BYTES);
        assertThat(mp.condition()).isEqualTo("DiskReady");
        assertThat(HostTools.blkid(disk.path())).contains("TYPE=ext4");
    }

    @Test
    void poolInitialisationThroughTheAgentsBackendsReportsEachStepInOrder() throws Exception {
        LoopDevice a = loops.create(LOOP_BYTES);
        LoopDevice b = loops.create(LOOP_BYTES);
        LoopDevice disk = loops.create(LOOP_BYTES);
        String vg = HostTools.uniqueVgName();
        removeVgAfter(vg, List.of(a.path(), b.path()));
        Path root = loops.directory("mnt");
        String mountPath = root.resolve("disk-1").toString();
        List<ProgressReport> reports = new CopyOnWriteArrayList<>();
        try (NodeBackends backends = new NodeBackends("steps-node", BackendRegistry.load(),
                ProcessCommandRunner.standard(), loops.directory("state"), backends(root, "1000"), reports::add)) {
            NodeAgent core = new NodeAgent(backends, new ResourceInitializer(backends, p -> Files.exists(Path.of(p)),
                    Clock.systemUTC(), Duration.ofSeconds(60), Duration.ofMinutes(30)), Clock.systemUTC());
            var spec = new NodeLocalStorageSpec("steps-node", null, new ResourceToBeInited(
                    List.of(new VgToInit(vg, List.of(a.path(), b.path()))),
                    List.of(new ResourceToBeInited.MountPointToInit(mountPath, disk.path(), "ext4", List.of())), null),
                    null);
            PassResult pass = core.pass(new NodeLocalStorage(new V1ObjectMeta().name("steps-node"), spec, null));
            assertThat(pass.outcomes()).extracting(InitOutcome::result)
                    .containsExactly(InitOutcome.Result.CREATED, InitOutcome.Result.CREATED);
        }
        String vgOp = "initialising VG " + vg + ": ";
        String mpOp = "initialising mount point " + mountPath + ": ";
        assertThat(reports).filteredOn(r -> !r.finished()).extracting(ProgressReport::line).containsExactly(
                vgOp + "checking " + a.path() + ", " + b.path(),
                vgOp + "pvcreate " + a.path() + " (1/3)",
                vgOp + "pvcreate " + b.path() + " (2/3)",
                vgOp + "vgcreate " + vg + " (3/3)",
                mpOp + "checking " + disk.path(),
                mpOp + "mkfs.ext4 " + disk.path() + " (1/2)",
                mpOp + "mounting " + disk.path() + " at " + mountPath + " (2/2)");
        assertThat(reports).filteredOn(ProgressReport::finished).extracting(ProgressReport::operation)
                .containsExactly("initialising VG " + vg, "initialising mount point " + mountPath);
    }

    @Test
    void aSlowVgcreateIsShownInTheStatusAndTheLogWhileItRuns() throws Exception {
        LoopDevice a = loops.create(LOOP_BYTES);
        String vg = HostTools.uniqueVgName();
        removeVgAfter(vg, List.of(a.path()));
        // Real lvm2, with vgcreate held back past the 2 s progress interval, as on a slow disk.
        CommandRunner real = ProcessCommandRunner.standard();
        CommandRunner slowVgcreate = command -> {
            if (command.tool().equals("vgcreate")) {
                try {
                    Thread.sleep(4000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.run(command);
        };
        List<String> logged = new CopyOnWriteArrayList<>();
        java.util.logging.Logger progressLog = java.util.logging.Logger.getLogger("io.openlocal.agent.progress");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        progressLog.addHandler(capture);
        try {
            // A node the agent has reported on, whose NLS then asks for a VG (as an operator adds one).
            createNls("slow-node", new NodeLocalStorageSpec("slow-node", null, null, null));
            startAgent("slow-node", loops.directory("state"), loops.directory("mnt"), slowVgcreate);
            await().atMost(WAIT).until(() -> status("slow-node") != null);
            var patch = api.request("PATCH", NLS_PATH + "/slow-node", """
                    {"spec":{"resourceToBeInited":{"vgs":[{"name":"%s","devices":["%s"]}]}}}"""
                    .formatted(vg, a.path()));
            assertThat(patch.statusCode() / 100).as(patch.body()).isEqualTo(2);

            String step = "initialising VG " + vg + ": vgcreate " + vg + " (2/2)";
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                NodeLocalStorageStatus s = status("slow-node");
                Condition c = s == null ? null : s.condition(Condition.RESOURCES_INITIALIZED);
                return c != null && Condition.INITIALIZING.equals(c.reason()) && step.equals(c.message());
            });
            assertThat(status("slow-node").condition(Condition.RESOURCES_INITIALIZED).status())
                    .isEqualTo(Condition.UNKNOWN);
            await().atMost(WAIT).until(() -> "AllPresent".equals(
                    status("slow-node").condition(Condition.RESOURCES_INITIALIZED).reason()));
            assertThat(logged).containsSubsequence("INFO initialising VG " + vg + ": checking " + a.path(),
                    "INFO " + step);
            assertThat(events("slow-node")).extracting(e -> e.get("reason").getAsString())
                    .containsExactly("Initialized");
        } finally {
            progressLog.removeHandler(capture);
        }
    }

    /** Counts process launches by program, around the real runner. */
    private static final class CountingRunner implements CommandRunner {
        final Map<String, AtomicInteger> launches = new ConcurrentHashMap<>();
        final CommandRunner real = ProcessCommandRunner.standard();

        @Override
        public io.openlocal.backend.command.CommandResult run(io.openlocal.backend.command.Command command) {
            launches.computeIfAbsent(command.program(), k -> new AtomicInteger()).incrementAndGet();
            return real.run(command);
        }

        int lvm2() {
            return List.of("lvm", "vgs", "lvs", "pvs", "vgdisplay", "lvdisplay", "pvdisplay").stream()
                    .mapToInt(p -> launches.getOrDefault(p, new AtomicInteger()).get()).sum();
        }
    }

    @Test
    void aSteadyPassCostsOneLvmReportWhateverTheNumberOfVgs() throws Exception {
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            devices.add(loops.create(LOOP_BYTES).path());
        }
        String vg1 = HostTools.uniqueVgName();
        String vg2 = HostTools.uniqueVgName();
        removeVgAfter(vg1, devices.subList(0, 2));
        removeVgAfter(vg2, devices.subList(2, 4));
        CountingRunner runner = new CountingRunner();
        Map<PoolType, BackendConfig> configs = backends(loops.directory("mnt"), "300");
        try (NodeBackends backends = new NodeBackends("cost-node", BackendRegistry.load(), runner,
                loops.directory("state"), configs)) {
            NodeAgent core = new NodeAgent(backends, new ResourceInitializer(backends, p -> Files.exists(Path.of(p)),
                    Clock.systemUTC(), Duration.ofSeconds(60), Duration.ofMinutes(30)), Clock.systemUTC());
            var spec = new NodeLocalStorageSpec("cost-node", new ListConfig(null, null,
                    new IncludeExclude(List.of("oltest.*"), null)), new ResourceToBeInited(List.of(
                    new VgToInit(vg1, devices.subList(0, 2)), new VgToInit(vg2, devices.subList(2, 4))), null, null),
                    null);
            PassResult first = core.pass(new NodeLocalStorage(new V1ObjectMeta().name("cost-node"), spec, null));
            assertThat(first.outcomes()).extracting(InitOutcome::result)
                    .containsExactly(InitOutcome.Result.CREATED, InitOutcome.Result.CREATED);

            Thread.sleep(400); // past the report cache's time to live: the next pass must read lvm again
            runner.launches.clear();
            PassResult steady = core.pass(new NodeLocalStorage(new V1ObjectMeta().name("cost-node"), spec,
                    first.status()));
            assertThat(steady.status().filteredStorageInfo().volumeGroups()).contains(vg1, vg2);
            assertThat(steady.changedNode()).isFalse();
            assertThat(runner.lvm2()).as("lvm2 launches in one pass: " + runner.launches).isEqualTo(1);
            assertThat(runner.launches.get("lvm").get()).isEqualTo(1);
        }
    }
}
