package io.openlocal.lvm.command;

import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandResult;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.error.StorageException;
import java.time.Duration;

/**
 * Whether the kernel's device-mapper answers on this node. Without it lvm2 can still write metadata (create,
 * extend and remove linear and striped LVs, inactive) but cannot activate LVs, build thin pools or take
 * snapshots.
 *
 * <p>The one check: {@code dmsetup version} exits 0 only when it could open /dev/mapper/control and the kernel
 * answered the version ioctl. Checking the device node alone is not enough: on the project's build machine
 * /dev/mapper/control exists but opening it fails with ENODEV, and dmsetup exits 1. A missing dmsetup counts as
 * no device-mapper (lvm2 packages ship it, so its absence means a broken or partial install).
 *
 * @param present whether device-mapper can be used
 * @param detail  why not, for health reports and error messages
 */
public record DeviceMapper(boolean present, String detail) {

    public static final String FEATURE = "device-mapper";

    public static DeviceMapper probe(CommandRunner runner, Duration timeout) {
        try {
            CommandResult result = runner.run(Command.of("dmsetup", "version").withTimeout(timeout));
            if (result.succeeded()) {
                return new DeviceMapper(true, "device-mapper driver answers");
            }
            return new DeviceMapper(false, "the kernel's device-mapper driver does not answer ("
                    + result.describe() + ")");
        } catch (StorageException e) {
            return new DeviceMapper(false, "cannot run dmsetup: " + e.getMessage());
        }
    }

    /** The error for an operation that needs device-mapper on a node without it. Nothing has run yet. */
    public StorageException.Unavailable unavailable(String operation) {
        return new StorageException.Unavailable(operation + " needs the kernel's device-mapper, which this node "
                + "lacks (" + detail + "); nothing was changed");
    }
}
