package io.openlocal.testinfra.spdk;

import java.util.ArrayList;
import java.util.List;

/** A block device registered in the emulated target: malloc, AIO, an NVMe namespace, or an lvol. */
final class Bdev {

    enum Kind { MALLOC, AIO, NVME, LVOL }

    final Kind kind;
    final String name;
    final String uuid;
    final List<String> aliases = new ArrayList<>();
    final int blockSize;
    long numBlocks;
    /** The claim's type name ("exclusive_write") while a module holds the bdev, else null. */
    String claimType;

    /** AIO and NVMe: the file behind it. */
    BackingStore backing;
    /** AIO: what bdev_aio_create was given. */
    String filename;
    boolean blockSizeOverride;
    boolean readonly;
    boolean fallocate;
    /** NVMe: the controller and its PCI address. */
    String controllerName;
    String pciAddress;
    /** LVOL: the volume. */
    Lvol lvol;

    Bdev(Kind kind, String name, String uuid, int blockSize, long numBlocks) {
        this.kind = kind;
        this.name = name;
        this.uuid = uuid;
        this.blockSize = blockSize;
        this.numBlocks = numBlocks;
    }

    boolean claimed() {
        return claimType != null;
    }

    boolean answersTo(String nameOrAlias) {
        return name.equals(nameOrAlias) || aliases.contains(nameOrAlias);
    }

    long sizeBytes() {
        return numBlocks * blockSize;
    }
}
