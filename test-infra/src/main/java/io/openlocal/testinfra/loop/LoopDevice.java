package io.openlocal.testinfra.loop;

import java.nio.file.Path;

/**
 * A loop device made by {@link LoopDevices} for one test.
 *
 * @param path        the device node, for example {@code /dev/loop3}
 * @param backingFile the sparse file behind it
 * @param sizeBytes   its size
 */
public record LoopDevice(String path, Path backingFile, long sizeBytes) {

    /** The kernel name, for example {@code loop3}. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
