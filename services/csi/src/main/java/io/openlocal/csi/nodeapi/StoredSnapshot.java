package io.openlocal.csi.nodeapi;

import java.util.Map;

/** The durable record of a CSI snapshot on its node (JSON), written before the backend is asked. */
record StoredSnapshot(int version, String csiName, String type, String pool, String name, String sourcePool,
                      String sourceName, long sizeBytes, Map<String, String> parameters, long createdEpochMillis,
                      String state) {

    StoredSnapshot withState(String newState, long newSizeBytes) {
        return new StoredSnapshot(version, csiName, type, pool, name, sourcePool, sourceName, newSizeBytes, parameters,
                createdEpochMillis, newState);
    }
}
