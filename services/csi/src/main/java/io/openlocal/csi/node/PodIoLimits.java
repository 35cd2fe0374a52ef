package io.openlocal.csi.node;

import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Open-Local's {@code iops} and {@code bps} StorageClass parameters, enforced by the kernel's block I/O
 * throttling in the pod's cgroup for the volume's device: both reads and writes are limited, as in Open-Local.
 * The pod-level cgroup exists by the time kubelet publishes volumes (it is made before volumes are mounted).
 *
 * <p>cgroup v1 ({@code <mount>/blkio}): {@code blkio.throttle.{read,write}_{bps,iops}_device} get
 * {@code MAJ:MIN value}; {@code 0} removes a rule. cgroup v2 (io controller enabled): {@code io.max} gets
 * {@code MAJ:MIN rbps=.. wbps=.. riops=.. wiops=..}; {@code max} removes a limit. Like any block throttling,
 * it limits I/O that reaches the device directly (direct I/O, and writeback only where the kernel charges it
 * to the cgroup: cgroup v2).
 *
 * <p>The pod's directory is found under kubelet's cgroup root in both layouts kubelet makes:
 * {@code kubepods[/burstable|/besteffort]/pod<uid>} (cgroupfs driver) and
 * {@code kubepods.slice[/kubepods-<qos>.slice]/kubepods[-<qos>]-pod<uid_>.slice} (systemd driver).
 */
public final class PodIoLimits {

    /** Limits of one volume: null for none. */
    public record Limits(Long iops, Long bps) {
        public boolean any() {
            return iops != null || bps != null;
        }
    }

    private static final Pattern POD_UID = Pattern.compile("[0-9a-fA-F-]{1,64}");
    private static final String[] V1_FILES = {"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
            "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"};

    private final Path cgroupMount;
    private final Path kubeletRoot;

    /**
     * @param cgroupMount       where cgroup file systems are mounted ({@code /sys/fs/cgroup})
     * @param kubeletCgroupRoot kubelet's {@code --cgroup-root} ({@code /} unless the node sets it)
     */
    public PodIoLimits(Path cgroupMount, String kubeletCgroupRoot) {
        this.cgroupMount = cgroupMount;
        String root = kubeletCgroupRoot.startsWith("/") ? kubeletCgroupRoot.substring(1) : kubeletCgroupRoot;
        this.kubeletRoot = Path.of(root.isEmpty() ? "." : root).normalize();
        if (kubeletRoot.startsWith("..")) {
            throw new IllegalArgumentException("kubeletCgroupRoot: '" + kubeletCgroupRoot + "' leaves the hierarchy");
        }
    }

    /** Kubelet's defaults: cgroups at /sys/fs/cgroup, cgroup root "/". */
    public static PodIoLimits standard() {
        return new PodIoLimits(Path.of("/sys/fs/cgroup"), "/");
    }

    /** Sets the limits for a block device in a pod's cgroup (idempotent). */
    public void apply(String podUid, Path device, Limits limits) {
        String majorMinor = majorMinor(device);
        Layout layout = layout();
        Path pod = podDirectory(layout, podUid).orElseThrow(() -> new StorageException.NotFound("no cgroup of pod "
                + podUid + " under " + layout.base().resolve(kubeletRoot) + " (is kubelet's --cgroup-root set as "
                + "csi.kubeletCgroupRoot?)"));
        if (layout.v2()) {
            write(pod.resolve("io.max"), majorMinor + " rbps=" + value(limits.bps()) + " wbps=" + value(limits.bps())
                    + " riops=" + value(limits.iops()) + " wiops=" + value(limits.iops()));
        } else {
            long bps = limits.bps() == null ? 0 : limits.bps();
            long iops = limits.iops() == null ? 0 : limits.iops();
            long[] values = {bps, bps, iops, iops};
            for (int i = 0; i < V1_FILES.length; i++) {
                write(pod.resolve(V1_FILES[i]), majorMinor + " " + values[i]);
            }
        }
    }

    /** Removes a device's limits from a pod's cgroup; a pod (or cgroup) already gone is success. */
    public void remove(String podUid, Path device) {
        String majorMinor;
        try {
            majorMinor = majorMinor(device);
        } catch (StorageException.NotFound e) {
            return;
        }
        Layout layout = layout();
        Optional<Path> pod = podDirectory(layout, podUid);
        if (pod.isEmpty()) {
            return;
        }
        try {
            if (layout.v2()) {
                write(pod.get().resolve("io.max"), majorMinor + " rbps=max wbps=max riops=max wiops=max");
            } else {
                for (String file : V1_FILES) {
                    write(pod.get().resolve(file), majorMinor + " 0");
                }
            }
        } catch (StorageException.NotFound e) {
            // The pod's cgroup went away meanwhile, and its rules with it.
        }
    }

    /** The limits a device has in a pod's cgroup now, as the kernel reports them. */
    public Limits current(String podUid, Path device) {
        String majorMinor = majorMinor(device);
        Layout layout = layout();
        Path pod = podDirectory(layout, podUid).orElseThrow(() -> new StorageException.NotFound("no cgroup of pod "
                + podUid));
        if (layout.v2()) {
            for (String line : lines(pod.resolve("io.max"))) {
                if (line.startsWith(majorMinor + " ")) {
                    return new Limits(number(field(line, "riops")), number(field(line, "rbps")));
                }
            }
            return new Limits(null, null);
        }
        Long bps = null;
        Long iops = null;
        for (String line : lines(pod.resolve(V1_FILES[0]))) {
            if (line.startsWith(majorMinor + " ")) {
                bps = Long.parseLong(line.substring(majorMinor.length() + 1).strip());
            }
        }
        for (String line : lines(pod.resolve(V1_FILES[2]))) {
            if (line.startsWith(majorMinor + " ")) {
                iops = Long.parseLong(line.substring(majorMinor.length() + 1).strip());
            }
        }
        return new Limits(iops, bps);
    }

    /** The pod UID kubelet put in a publish target path ({@code <kubelet>/pods/<uid>/volumes/...}), if any. */
    public static Optional<String> podUidOf(Path target, Path kubeletDir) {
        Path relative = kubeletDir.relativize(target);
        if (relative.getNameCount() > 2 && relative.getName(0).toString().equals("pods")) {
            String uid = relative.getName(1).toString();
            if (POD_UID.matcher(uid).matches()) {
                return Optional.of(uid);
            }
        }
        return Optional.empty();
    }

    public static void requirePodUid(String podUid) {
        if (!POD_UID.matcher(podUid).matches()) {
            throw new StorageException.InvalidArgument("pod uid: '" + podUid + "' is not a Kubernetes UID");
        }
    }

    // ---- cgroup layout -------------------------------------------------------------------------------------

    private record Layout(Path base, boolean v2) {
    }

    private Layout layout() {
        Path blkio = cgroupMount.resolve("blkio");
        if (Files.exists(blkio.resolve(V1_FILES[0]))) {
            return new Layout(blkio, false);
        }
        List<String> controllers = lines(cgroupMount.resolve("cgroup.controllers"));
        if (!controllers.isEmpty() && List.of(controllers.get(0).split(" ")).contains("io")) {
            return new Layout(cgroupMount, true);
        }
        throw new StorageException.Unsupported("this node has no block I/O throttling: neither cgroup v1 blkio "
                + "at " + blkio + " nor the cgroup v2 io controller at " + cgroupMount
                + "; iops and bps cannot be enforced");
    }

    private Optional<Path> podDirectory(Layout layout, String podUid) {
        requirePodUid(podUid);
        String systemd = podUid.replace('-', '_');
        Path base = layout.base().resolve(kubeletRoot);
        List<Path> candidates = new ArrayList<>();
        candidates.add(base.resolve("kubepods").resolve("pod" + podUid));
        candidates.add(base.resolve("kubepods.slice").resolve("kubepods-pod" + systemd + ".slice"));
        for (String qos : new String[] {"burstable", "besteffort"}) {
            candidates.add(base.resolve("kubepods").resolve(qos).resolve("pod" + podUid));
            candidates.add(base.resolve("kubepods.slice").resolve("kubepods-" + qos + ".slice")
                    .resolve("kubepods-" + qos + "-pod" + systemd + ".slice"));
        }
        return candidates.stream().filter(Files::isDirectory).findFirst();
    }

    // ---- files ---------------------------------------------------------------------------------------------

    /** MAJ:MIN of a block device node (following links such as /dev/vg/lv). */
    static String majorMinor(Path device) {
        try {
            Path real = device.toRealPath();
            Object rdev = Files.getAttribute(real, "unix:rdev");
            if (!(rdev instanceof Long value) || !Files.readAttributes(real,
                    java.nio.file.attribute.BasicFileAttributes.class).isOther()) {
                throw new StorageException.InvalidArgument(device + " is not a block device");
            }
            long major = ((value >>> 8) & 0xfff) | ((value >>> 32) & ~0xfffL);
            long minor = (value & 0xff) | ((value >>> 12) & ~0xffL);
            String majorMinor = major + ":" + minor;
            // A character device has a device number too: only the kernel's list of block devices tells them apart.
            if (!Files.exists(Path.of("/sys/dev/block", majorMinor))) {
                throw new StorageException.InvalidArgument(device + " is not a block device");
            }
            return majorMinor;
        } catch (NoSuchFileException e) {
            throw new StorageException.NotFound("device " + device + " does not exist");
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot read the device number of " + device + ": "
                    + e.getMessage(), e);
        }
    }

    private static void write(Path file, String line) {
        try {
            // One write per rule: the cgroup file takes one line per write(2).
            Files.write(file, line.getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new StorageException.NotFound("cgroup file " + file + " does not exist");
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot write '" + line + "' to " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private static List<String> lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StorageException.Unavailable("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String value(Long limit) {
        return limit == null ? "max" : limit.toString();
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "max";
    }

    private static Long number(String text) {
        return text.equals("max") ? null : Long.parseLong(text);
    }
}
