package io.openlocal.csi.volume;

import io.openlocal.csi.grpc.Errors;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one operation per volume at a time. A second call while one is running is refused at once with
 * ABORTED, as the CSI specification asks ("operation pending for volume"), so the CO retries later instead of
 * queueing behind a slow mkfs. Different volumes do not wait for each other.
 */
public final class VolumeLocks {

    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    /** A held lock; closing releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock of {@code key} (a backend volume or snapshot name).
     *
     * @throws io.grpc.StatusRuntimeException ABORTED when another operation holds it
     */
    public Held acquire(String key, String what) {
        if (!busy.add(key)) {
            throw Errors.aborted("an operation on " + what + " is already in progress; retry later");
        }
        return () -> busy.remove(key);
    }

    /** Whether an operation holds the key now (for tests and metrics). */
    public boolean isHeld(String key) {
        return busy.contains(key);
    }
}
