package io.openlocal.testinfra.spdk;

import java.util.ArrayList;
import java.util.List;

/** A logical volume (a blob in the lvstore), with the snapshot and clone links the blobstore keeps. */
final class Lvol {

    final String uuid;
    String name;
    final Lvstore lvs;
    long numClusters;
    boolean thin;
    long allocatedClusters;
    boolean readOnly;
    /** Set once the blob became a snapshot (or a read-only blob got a clone); stays set, as on the target. */
    boolean snapshot;
    Lvol parent;
    final List<Lvol> clones = new ArrayList<>();
    String clearMethod;
    Bdev bdev;

    Lvol(String uuid, String name, Lvstore lvs) {
        this.uuid = uuid;
        this.name = name;
        this.lvs = lvs;
    }

    String alias() {
        return lvs.name + "/" + name;
    }

    boolean isClone() {
        return parent != null;
    }
}
