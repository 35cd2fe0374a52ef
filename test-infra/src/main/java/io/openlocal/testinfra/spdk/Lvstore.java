package io.openlocal.testinfra.spdk;

import java.util.ArrayList;
import java.util.List;

/** A logical volume store on a base bdev: geometry, and its lvols in creation order. */
final class Lvstore {

    final String uuid;
    String name;
    final Bdev base;
    final long clusterSize;
    LvstoreGeometry geometry;
    final List<Lvol> lvols = new ArrayList<>();

    Lvstore(String uuid, String name, Bdev base, long clusterSize, LvstoreGeometry geometry) {
        this.uuid = uuid;
        this.name = name;
        this.base = base;
        this.clusterSize = clusterSize;
        this.geometry = geometry;
    }

    long dataClusters() {
        return geometry.dataClusters();
    }

    long freeClusters() {
        long used = 0;
        for (Lvol lvol : lvols) {
            used += lvol.allocatedClusters;
        }
        return dataClusters() - used;
    }

    long maxGrowableBytes() {
        return geometry.maxClusters() * clusterSize;
    }

    Lvol lvolNamed(String lvolName) {
        for (Lvol lvol : lvols) {
            if (lvol.name.equals(lvolName)) {
                return lvol;
            }
        }
        return null;
    }
}
