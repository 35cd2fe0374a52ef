package io.openlocal.csi.nodeapi;

import java.util.Map;

/**
 * The durable record of a CSI volume on its node (JSON). Written with state CREATING before the backend is
 * asked, so a retry after a crash finishes in the same pool instead of making a second volume elsewhere.
 */
record StoredVolume(int version, String csiName, String type, String pool, String name,
                    Map<String, String> parameters, long requiredBytes, long limitBytes,
                    String sourceType, String sourcePool, String sourceName, boolean sourceIsSnapshot,
                    long createdEpochMillis, String state) {

    static final String CREATING = "CREATING";
    static final String READY = "READY";

    StoredVolume withState(String newState) {
        return new StoredVolume(version, csiName, type, pool, name, parameters, requiredBytes, limitBytes, sourceType,
                sourcePool, sourceName, sourceIsSnapshot, createdEpochMillis, newState);
    }
}
