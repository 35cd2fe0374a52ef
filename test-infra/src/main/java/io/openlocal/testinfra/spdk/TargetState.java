package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything one run of the emulated target holds in memory: bdevs, lvstores, NVMe-oF transports and
 * subsystems, vhost controllers. Lost on restart, like the real target's; lvstores on file-backed bdevs
 * come back when their bdev is attached again (see {@link LvstoreCodec}). Callers hold the state's
 * monitor, as the target runs every RPC on one thread.
 */
final class TargetState {

    final Map<String, Bdev> bdevs = new LinkedHashMap<>();
    final List<Lvstore> lvstores = new ArrayList<>();
    final Map<String, ObjectNode> transports = new LinkedHashMap<>();
    final List<NvmfSubsystem> subsystems = new ArrayList<>();
    final Map<String, VhostController> vhostControllers = new LinkedHashMap<>();
    final SimulatedDevices devices;
    final Path vhostSocketDir;
    final LvstoreCodec codec;
    int mallocCounter;

    TargetState(SimulatedDevices devices, Path vhostSocketDir, ObjectMapper mapper) {
        this.devices = devices;
        this.vhostSocketDir = vhostSocketDir;
        this.codec = new LvstoreCodec(mapper);
        subsystems.add(discoverySubsystem());
    }

    private static NvmfSubsystem discoverySubsystem() {
        NvmfSubsystem discovery = new NvmfSubsystem(NvmfSubsystem.DISCOVERY_NQN, true);
        discovery.allowAnyHost = true;
        return discovery;
    }

    static String newUuid() {
        return UUID.randomUUID().toString();
    }

    /** A bdev by name or alias, or null. */
    Bdev bdev(String nameOrAlias) {
        Bdev byName = bdevs.get(nameOrAlias);
        if (byName != null) {
            return byName;
        }
        for (Bdev b : bdevs.values()) {
            if (b.aliases.contains(nameOrAlias)) {
                return b;
            }
        }
        return null;
    }

    /** Registers a bdev; a name or alias already in use is EEXIST, as spdk_bdev_register answers. */
    void register(Bdev bdev) {
        if (bdev(bdev.name) != null) {
            throw RpcException.errno(Errno.EEXIST);
        }
        for (String alias : bdev.aliases) {
            if (bdev(alias) != null) {
                throw RpcException.errno(Errno.EEXIST);
            }
        }
        bdevs.put(bdev.name, bdev);
    }

    /**
     * Removes a bdev and everything that used it: an lvstore on it is unloaded (its metadata stays on the
     * device), NVMe-oF namespaces on it are hot-removed, vhost controllers lose their bdev.
     */
    void unregister(Bdev bdev) {
        Lvstore lvs = lvstoreOn(bdev);
        if (lvs != null) {
            unload(lvs);
        }
        for (NvmfSubsystem subsystem : subsystems) {
            subsystem.namespaces.values().removeIf(ns -> ns.bdev == bdev);
        }
        for (VhostController controller : vhostControllers.values()) {
            if (controller.bdev == bdev) {
                controller.bdev = null;
            }
        }
        bdevs.remove(bdev.name);
    }

    /** Takes an lvstore out of memory (its lvol bdevs disappear); the metadata on the device is kept. */
    void unload(Lvstore lvs) {
        for (Lvol lvol : new ArrayList<>(lvs.lvols)) {
            if (lvol.bdev != null) {
                unregister(lvol.bdev);
            }
        }
        lvs.base.claimType = null;
        lvstores.remove(lvs);
    }

    Lvstore lvstoreNamed(String name) {
        for (Lvstore lvs : lvstores) {
            if (lvs.name.equals(name)) {
                return lvs;
            }
        }
        return null;
    }

    Lvstore lvstoreWithUuid(String uuid) {
        for (Lvstore lvs : lvstores) {
            if (lvs.uuid.equals(uuid)) {
                return lvs;
            }
        }
        return null;
    }

    Lvstore lvstoreOn(Bdev base) {
        for (Lvstore lvs : lvstores) {
            if (lvs.base == base) {
                return lvs;
            }
        }
        return null;
    }

    /** Registers the bdev of an lvol (name = its UUID, alias = lvs/name). */
    void registerLvol(Lvol lvol) {
        Bdev bdev = new Bdev(Bdev.Kind.LVOL, lvol.uuid, lvol.uuid, lvol.lvs.base.blockSize,
                lvol.numClusters * lvol.lvs.clusterSize / lvol.lvs.base.blockSize);
        bdev.aliases.add(lvol.alias());
        bdev.lvol = lvol;
        register(bdev);
        lvol.bdev = bdev;
    }

    void resizeLvolBdev(Lvol lvol) {
        lvol.bdev.numBlocks = lvol.numClusters * lvol.lvs.clusterSize / lvol.lvs.base.blockSize;
    }

    /** Examines a new base bdev: an lvstore recorded on it is loaded with its lvols, as the lvol module does. */
    void examine(Bdev base) {
        codec.read(base).ifPresent(lvs -> {
            if (lvstoreNamed(lvs.name) != null || lvstoreWithUuid(lvs.uuid) != null || base.claimed()) {
                return; // The target refuses to load a second store of the same name or UUID.
            }
            base.claimType = "exclusive_write";
            lvstores.add(lvs);
            for (Lvol lvol : lvs.lvols) {
                registerLvol(lvol);
            }
        });
    }

    /** Writes an lvstore's metadata to its device after a change, as the blobstore syncs its metadata. */
    void persist(Lvstore lvs) {
        codec.write(lvs);
    }

    NvmfSubsystem subsystem(String nqn) {
        for (NvmfSubsystem s : subsystems) {
            if (s.nqn.equals(nqn)) {
                return s;
            }
        }
        return null;
    }

    /** Releases what lives outside the process (vhost sockets), as the target does on exit. */
    void shutdown() {
        for (Iterator<VhostController> it = vhostControllers.values().iterator(); it.hasNext(); ) {
            it.next().close();
            it.remove();
        }
    }
}
