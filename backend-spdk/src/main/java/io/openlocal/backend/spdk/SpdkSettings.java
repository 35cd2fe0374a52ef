package io.openlocal.backend.spdk;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.spdk.export.Nqn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The SPDK backend's settings (BackendContext.settings), validated; an unknown key is an error that names it.
 *
 * @param rpcSocket        the target's JSON-RPC unix socket
 * @param callTimeout      how long one call may take
 * @param connectTimeout   how long to keep trying to connect while the socket is absent (target restarting)
 * @param nvmfAddress      the IP address NVMe-oF/TCP listeners are put on
 * @param nvmfAdrfam       IPv4 or IPv6, from the address
 * @param nvmfPort         the TCP port of the listeners
 * @param hostNqn          this node's host NQN: the only host allowed on Open-Local's subsystems
 * @param nqnPrefix        subsystem NQNs are {@code <nqnPrefix>:<node>:<pool>:<volume>}
 * @param vhostSocketDir   where the target creates vhost-user sockets (its -S option)
 * @param clusterSizeBytes default lvstore cluster size
 * @param aioFileBlockSize block size for AIO bdevs on regular files (the target cannot detect one there)
 * @param attachTimeout    how long the node waits for a connected namespace's block device
 * @param sysfsRoot        where this process sees the host's /sys (a container may mount it elsewhere)
 * @param devRoot          where this process sees the host's /dev
 */
public record SpdkSettings(Path rpcSocket, Duration callTimeout, Duration connectTimeout, String nvmfAddress,
                           String nvmfAdrfam, int nvmfPort, String hostNqn, String nqnPrefix, Path vhostSocketDir,
                           long clusterSizeBytes, int aioFileBlockSize, Duration attachTimeout,
                           Path sysfsRoot, Path devRoot) {

    public static final String RPC_SOCKET = "rpcSocket";
    public static final String CALL_TIMEOUT_MILLIS = "callTimeoutMillis";
    public static final String CONNECT_TIMEOUT_MILLIS = "connectTimeoutMillis";
    public static final String NVMF_ADDRESS = "nvmfAddress";
    public static final String NVMF_PORT = "nvmfPort";
    public static final String HOST_NQN = "hostNqn";
    public static final String NQN_PREFIX = "nqnPrefix";
    public static final String VHOST_SOCKET_DIR = "vhostSocketDir";
    public static final String CLUSTER_SIZE_BYTES = "clusterSizeBytes";
    public static final String AIO_FILE_BLOCK_SIZE = "aioFileBlockSize";
    public static final String ATTACH_TIMEOUT_MILLIS = "attachTimeoutMillis";
    public static final String SYSFS_ROOT = "sysfsRoot";
    public static final String DEV_ROOT = "devRoot";

    public static final Set<String> KEYS = Set.of(RPC_SOCKET, CALL_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS,
            NVMF_ADDRESS, NVMF_PORT, HOST_NQN, NQN_PREFIX, VHOST_SOCKET_DIR, CLUSTER_SIZE_BYTES, AIO_FILE_BLOCK_SIZE,
            ATTACH_TIMEOUT_MILLIS, SYSFS_ROOT, DEV_ROOT);

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Reads and checks the settings of one node. */
    public static SpdkSettings from(String nodeName, Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new StorageException.InvalidArgument("SPDK settings: unknown key(s) " + unknown + "; known keys: "
                    + new TreeSet<>(KEYS));
        }
        Path socket = socketPath(RPC_SOCKET, settings.getOrDefault(RPC_SOCKET, "/var/tmp/spdk.sock"));
        Duration call = Duration.ofMillis(number(settings, CALL_TIMEOUT_MILLIS, 30_000, 1, 3_600_000));
        Duration connect = Duration.ofMillis(number(settings, CONNECT_TIMEOUT_MILLIS, 2_000, 0, 600_000));
        String address = settings.getOrDefault(NVMF_ADDRESS, "127.0.0.1");
        String adrfam;
        if (IPV4.matcher(address).matches()) {
            adrfam = "IPv4";
        } else if (address.contains(":") && IPV6.matcher(address).matches() && parsesAsIp(address)) {
            adrfam = "IPv6";
        } else {
            throw new StorageException.InvalidArgument(NVMF_ADDRESS + ": '" + address
                    + "' is not an IPv4 or IPv6 address (host names are not resolved)");
        }
        int port = (int) number(settings, NVMF_PORT, 4420, 1, 65535);
        String hostNqn = Nqn.require(HOST_NQN, settings.getOrDefault(HOST_NQN, Nqn.defaultHostNqn(nodeName)));
        String prefix = Nqn.requirePrefix(NQN_PREFIX, settings.getOrDefault(NQN_PREFIX, "nqn.2024-11.io.openlocal"));
        Path vhostDir = absolute(VHOST_SOCKET_DIR, settings.getOrDefault(VHOST_SOCKET_DIR, "/var/tmp"));
        long cluster = number(settings, CLUSTER_SIZE_BYTES, 4L << 20, 4096, 1L << 30);
        if (Long.bitCount(cluster) != 1) {
            throw new StorageException.InvalidArgument(CLUSTER_SIZE_BYTES + ": " + cluster + " is not a power of two");
        }
        int aioBlock = (int) number(settings, AIO_FILE_BLOCK_SIZE, 512, 512, 4096);
        if (Integer.bitCount(aioBlock) != 1) {
            throw new StorageException.InvalidArgument(AIO_FILE_BLOCK_SIZE + ": " + aioBlock + " is not a power of two");
        }
        Duration attach = Duration.ofMillis(number(settings, ATTACH_TIMEOUT_MILLIS, 10_000, 1, 600_000));
        Path sysfs = absolute(SYSFS_ROOT, settings.getOrDefault(SYSFS_ROOT, "/sys"));
        Path dev = absolute(DEV_ROOT, settings.getOrDefault(DEV_ROOT, "/dev"));
        return new SpdkSettings(socket, call, connect, address, adrfam, port, hostNqn, prefix, vhostDir, cluster,
                aioBlock, attach, sysfs, dev);
    }

    private static boolean parsesAsIp(String literal) {
        try {
            // A literal with ':' is parsed, never looked up.
            return java.net.InetAddress.getByName(literal) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static long number(Map<String, String> settings, String key, long defaultValue, long min, long max) {
        String text = settings.get(key);
        if (text == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new StorageException.InvalidArgument(key + ": '" + text + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new StorageException.InvalidArgument(key + ": " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static Path absolute(String key, String text) {
        if (text.isEmpty() || text.indexOf('\0') >= 0 || !text.startsWith("/") || text.contains("//")) {
            throw new StorageException.InvalidArgument(key + ": '" + text + "' is not an absolute path");
        }
        Path path = Path.of(text);
        if (!path.normalize().equals(path)) {
            throw new StorageException.InvalidArgument(key + ": '" + text + "' must not contain '.' or '..'");
        }
        return path;
    }

    private static Path socketPath(String key, String text) {
        Path path = absolute(key, text);
        if (text.getBytes(StandardCharsets.UTF_8).length > 107) {
            throw new StorageException.InvalidArgument(key + ": '" + text
                    + "' is longer than a unix socket path may be (107 bytes)");
        }
        return path;
    }

    /** The keys with their defaults, for documentation and error messages. */
    public static List<String> describeDefaults() {
        return List.of(RPC_SOCKET + "=/var/tmp/spdk.sock", CALL_TIMEOUT_MILLIS + "=30000",
                CONNECT_TIMEOUT_MILLIS + "=2000", NVMF_ADDRESS + "=127.0.0.1", NVMF_PORT + "=4420",
                HOST_NQN + "=nqn.2014-08.org.nvmexpress:uuid:<UUID from the node name>",
                NQN_PREFIX + "=nqn.2024-11.io.openlocal", VHOST_SOCKET_DIR + "=/var/tmp",
                CLUSTER_SIZE_BYTES + "=4194304", AIO_FILE_BLOCK_SIZE + "=512", ATTACH_TIMEOUT_MILLIS + "=10000",
                SYSFS_ROOT + "=/sys", DEV_ROOT + "=/dev");
    }
}
