package io.openlocal.config.standalone;

import io.openlocal.config.ConfigException;
import io.openlocal.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The typed standalone configuration ({@code config/standalone.yaml}).
 *
 * @param nodeName       the node name; empty = derive from the host name
 * @param stateDir       where everything standalone makes lives
 * @param csi            the CSI settings
 * @param http           the health/metrics listener
 * @param strategy       binpack or spread
 * @param lvmPools       volume groups to make on loop devices
 * @param devices        exclusive loop devices to make
 * @param lvmSettings    settings for the LVM backend
 */
public record StandaloneConfig(Optional<String> nodeName, Path stateDir, Csi csi, Http http, String strategy,
                               List<LvmPool> lvmPools, List<Device> devices, Map<String, String> lvmSettings) {

    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final Pattern VG_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,126}");

    /**
     * @param driverName        CSI plugin name
     * @param endpoint          {@code unix:///path}; empty = under the state dir
     * @param kubeletDir        root of staging and target paths; empty = under the state dir
     * @param maxVolumesPerNode 0 = no limit
     * @param defaultVolumeBytes size when a request gives none
     */
    public record Csi(String driverName, Optional<String> endpoint, Optional<Path> kubeletDir, long maxVolumesPerNode,
                      long defaultVolumeBytes) {
    }

    public record Http(String host, int port) {
    }

    public record LvmPool(String name, long sizeBytes) {
    }

    /** @param solidState whether the loop reports itself as an SSD */
    public record Device(long sizeBytes, boolean solidState) {
    }

    public StandaloneConfig {
        lvmPools = List.copyOf(lvmPools);
        devices = List.copyOf(devices);
        lvmSettings = Map.copyOf(lvmSettings);
    }

    /** The CSI socket path: the configured endpoint or {@code <stateDir>/csi/csi.sock}. */
    public String endpoint() {
        return csi.endpoint().orElse("unix://" + stateDir.resolve("csi/csi.sock"));
    }

    public Path kubeletDir() {
        return csi.kubeletDir().orElse(stateDir.resolve("kubelet"));
    }

    public StandaloneConfig withStateDir(Path newStateDir) {
        return new StandaloneConfig(nodeName, absolute("stateDir", newStateDir.toString()), csi, http, strategy,
                lvmPools, devices, lvmSettings);
    }

    public StandaloneConfig withEndpoint(String newEndpoint) {
        return new StandaloneConfig(nodeName, stateDir, new Csi(csi.driverName(), Optional.of(newEndpoint),
                csi.kubeletDir(), csi.maxVolumesPerNode(), csi.defaultVolumeBytes()), http, strategy, lvmPools,
                devices, lvmSettings);
    }

    public StandaloneConfig withHttpPort(int port) {
        return new StandaloneConfig(nodeName, stateDir, csi, new Http(http.host(), port), strategy, lvmPools, devices,
                lvmSettings);
    }

    /** Reads and checks the configuration; errors name the key. */
    public static StandaloneConfig from(Settings root) {
        root.allowOnly("node", "stateDir", "csi", "http", "strategy", "pools", "backends");
        Settings node = root.section("node").allowOnly("name");
        String name = node.string("name", "");
        if (!name.isEmpty() && !NODE_NAME.matcher(name).matches()) {
            throw new ConfigException("node.name", "'" + name + "' is not a node name (lower-case letters, digits, "
                    + "'-' and '.')");
        }
        Path stateDir = absolute("stateDir", root.string("stateDir", "/var/lib/open-local/standalone"));

        Settings csi = root.section("csi").allowOnly("driverName", "endpoint", "kubeletDir", "maxVolumesPerNode",
                "defaultVolumeSize");
        String endpoint = csi.string("endpoint", "");
        if (!endpoint.isEmpty() && !endpoint.startsWith("unix://")) {
            throw new ConfigException("csi.endpoint", "'" + endpoint + "' must be unix:///ABSOLUTE/PATH");
        }
        String kubelet = csi.string("kubeletDir", "");
        Csi csiSection = new Csi(csi.string("driverName", "local.csi.aliyun.com"),
                endpoint.isEmpty() ? Optional.empty() : Optional.of(endpoint),
                kubelet.isEmpty() ? Optional.empty() : Optional.of(absolute("csi.kubeletDir", kubelet)),
                csi.integer("maxVolumesPerNode", 0, 0, 100_000),
                csi.bytes("defaultVolumeSize", 64L << 20));

        Settings http = root.section("http").allowOnly("host", "port");
        Http httpSection = new Http(http.string("host", "127.0.0.1"), http.integer("port", 23080, 0, 65535));

        String strategy = root.string("strategy", "binpack");
        if (!strategy.equals("binpack") && !strategy.equals("spread")) {
            throw new ConfigException("strategy", "'" + strategy + "' is not binpack or spread");
        }

        Settings pools = root.section("pools").allowOnly("lvm", "devices");
        List<LvmPool> lvm = new ArrayList<>();
        Set<String> vgNames = new HashSet<>();
        for (Settings pool : pools.sections("lvm")) {
            pool.allowOnly("name", "size");
            String vg = pool.string("name");
            if (!VG_NAME.matcher(vg).matches()) {
                throw new ConfigException(pool.key() + ".name", "'" + vg + "' is not a VG name");
            }
            if (!vgNames.add(vg)) {
                throw new ConfigException(pool.key() + ".name", "VG '" + vg + "' is listed twice");
            }
            lvm.add(new LvmPool(vg, minimum(pool, 64L << 20)));
        }
        List<Device> devices = new ArrayList<>();
        for (Settings device : pools.sections("devices")) {
            device.allowOnly("size", "mediaType");
            String media = device.string("mediaType", "hdd");
            if (!media.equals("hdd") && !media.equals("ssd")) {
                throw new ConfigException(device.key() + ".mediaType", "'" + media + "' is not hdd or ssd");
            }
            devices.add(new Device(minimum(device, 16L << 20), media.equals("ssd")));
        }
        if (lvm.isEmpty() && devices.isEmpty()) {
            throw new ConfigException("pools", "at least one LVM pool or device is needed");
        }
        Settings backends = root.section("backends").allowOnly("lvm");
        return new StandaloneConfig(name.isEmpty() ? Optional.empty() : Optional.of(name), stateDir, csiSection,
                httpSection, strategy, lvm, devices, backends.stringMap("lvm"));
    }

    private static long minimum(Settings section, long min) {
        long bytes = section.bytes("size");
        if (bytes < min) {
            throw new ConfigException(section.key() + ".size", bytes + " bytes is below the minimum of " + min);
        }
        return bytes;
    }

    private static Path absolute(String key, String value) {
        Path path = Path.of(value);
        if (!path.isAbsolute() || !path.normalize().equals(path) || path.getNameCount() == 0) {
            throw new ConfigException(key, "'" + value + "' must be an absolute, normalised directory other than /");
        }
        return path;
    }
}
