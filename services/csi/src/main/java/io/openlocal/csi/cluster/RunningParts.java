package io.openlocal.csi.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * What a plugin has started, closed in reverse order of start. A part that fails to close is reported and the
 * others are still closed, so a stop never leaves a socket or listener behind because of one error.
 */
final class RunningParts implements AutoCloseable {

    private final List<AutoCloseable> parts = new ArrayList<>();

    synchronized <T extends AutoCloseable> T add(T part) {
        parts.add(part);
        return part;
    }

    @Override
    public synchronized void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.err.println("open-local csi: stopping " + parts.get(i).getClass().getSimpleName() + ": "
                        + e.getMessage());
            }
        }
        parts.clear();
    }
}
