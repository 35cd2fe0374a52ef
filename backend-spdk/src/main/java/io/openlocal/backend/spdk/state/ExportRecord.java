package io.openlocal.backend.spdk.state;

/**
 * An export Open-Local made, to restore after the target restarts.
 *
 * @param kind       {@code nvmf} or {@code vhost}
 * @param lvolUuid   the lvol exported (its bdev name), to find it again
 * @param nqn        NVMe-oF: the subsystem NQN
 * @param hostNqn    NVMe-oF: the host allowed in
 * @param address    NVMe-oF: listener address
 * @param adrfam     NVMe-oF: IPv4 or IPv6
 * @param port       NVMe-oF: listener port
 * @param controller vhost: the controller name
 */
public record ExportRecord(String pool, String volume, String kind, String lvolUuid, String nqn, String hostNqn,
                           String address, String adrfam, int port, String controller) {

    public static final String NVMF = "nvmf";
    public static final String VHOST = "vhost";

    public String key() {
        return pool + "/" + volume;
    }
}
