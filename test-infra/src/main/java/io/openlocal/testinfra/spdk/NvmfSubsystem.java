package io.openlocal.testinfra.spdk;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** An NVMe-oF subsystem of the emulated target (or its discovery subsystem). */
final class NvmfSubsystem {

    static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";
    static final int DEFAULT_MAX_NAMESPACES = 32;

    /** A listen address, compared the way the target compares transport ids. */
    record Listener(String trtype, String adrfam, String traddr, String trsvcid) {
    }

    /** A namespace: a bdev under an NSID, with the identifiers the target reports. */
    static final class Namespace {
        final int nsid;
        final Bdev bdev;
        final String uuid;
        final String nguid;

        Namespace(int nsid, Bdev bdev, String uuid, String nguid) {
            this.nsid = nsid;
            this.bdev = bdev;
            this.uuid = uuid;
            this.nguid = nguid;
        }
    }

    final String nqn;
    final boolean discovery;
    boolean allowAnyHost;
    final List<String> hosts = new ArrayList<>();
    final List<Listener> listeners = new ArrayList<>();
    String serialNumber = "00000000000000000000";
    String modelNumber = "SPDK bdev Controller";
    int maxNamespaces = DEFAULT_MAX_NAMESPACES;
    final TreeMap<Integer, Namespace> namespaces = new TreeMap<>();

    NvmfSubsystem(String nqn, boolean discovery) {
        this.nqn = nqn;
        this.discovery = discovery;
    }
}
