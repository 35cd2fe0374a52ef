package io.openlocal.launcher.status;

import java.util.List;

/**
 * One node's NodeLocalStorage as {@code open-local status} shows it.
 *
 * @param node      the NLS (and node) name
 * @param reported  whether the agent has written a status yet
 * @param state     the agent's last report: status.nodeStorageInfo.state.status (e.g. {@code True}), or null
 * @param heartbeat the agent's last heartbeat (ISO-8601), or null
 * @param pools     every discovered pool, VGs first, then devices, mount points, SPDK lvstores
 * @param initializing the step of a pool initialisation the agent is running now
 *                  ({@code initialising VG pool0: vgcreate pool0 (3/3)}), or null
 */
public record NodeReport(String node, boolean reported, String state, String heartbeat, List<PoolRow> pools,
                         String initializing) {

    public NodeReport {
        pools = List.copyOf(pools);
    }
}
