package io.openlocal.backend.spdk;

import io.openlocal.backend.error.StorageException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an lvstore is built on, as written in {@code PoolSpec.devices} (exactly one entry):
 * <ul>
 *   <li>{@code aio:<absolute path>}: an AIO bdev over a block device or a regular file, for example
 *       {@code aio:/dev/nvme1n1} or {@code aio:/var/lib/open-local/spdk/disk0.img};</li>
 *   <li>{@code nvme:<PCI address>}: a local NVMe controller bound to SPDK's userspace driver, namespace 1,
 *       for example {@code nvme:0000:01:00.0} (domain:bus:device.function).</li>
 * </ul>
 * The bdev it becomes is named after the pool, so re-attaching it after a restart finds the same name.
 */
public sealed interface BaseDevice {

    Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\\.[0-7]");
    Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9._+@:=,-]+)+");

    /** The syntax as users write it. */
    String spec();

    /** The bdev this device appears as, for a pool. */
    String bdevName(String pool);

    record Aio(Path path) implements BaseDevice {
        public String spec() {
            return "aio:" + path;
        }

        public String bdevName(String pool) {
            return "ol-" + pool;
        }
    }

    record Nvme(String pciAddress) implements BaseDevice {
        public String spec() {
            return "nvme:" + pciAddress;
        }

        public String bdevName(String pool) {
            return controllerName(pool) + "n1";
        }

        /** The NVMe controller name given to bdev_nvme_attach_controller. */
        public String controllerName(String pool) {
            return "ol-" + pool + "-nvme";
        }
    }

    /** Parses one {@code PoolSpec.devices} entry. */
    static BaseDevice parse(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw new StorageException.InvalidArgument(field + ": must not be empty");
        }
        if (text.startsWith("aio:")) {
            String path = text.substring(4);
            if (path.length() > 1024 || !SAFE_PATH.matcher(path).matches() || !Path.of(path).normalize().toString().equals(path)) {
                throw new StorageException.InvalidArgument(field + ": '" + text + "' is not aio:<absolute path> "
                        + "(letters, digits and . _ + @ : = , - in segments; no '.', '..' or doubled slashes)");
            }
            return new Aio(Path.of(path));
        }
        if (text.startsWith("nvme:")) {
            String pci = text.substring(5).toLowerCase(Locale.ROOT);
            if (!PCI_ADDRESS.matcher(pci).matches()) {
                throw new StorageException.InvalidArgument(field + ": '" + text
                        + "' is not nvme:<PCI address> such as nvme:0000:01:00.0");
            }
            return new Nvme(pci);
        }
        throw new StorageException.InvalidArgument(field + ": '" + text
                + "' must be aio:<absolute path> (file or block device) or nvme:<PCI address> (such as nvme:0000:01:00.0)");
    }
}
