package io.openlocal.csi.nodeapi;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.volume.CowSpace;
import io.openlocal.csi.volume.SnapshotParameters;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Open-Local's snapshot expansion: a snapshot taken with {@code csi.aliyun.com/snapshot-expansion-size} (and
 * {@code snapshot-expansion-threshold}, 50% when not given) gets its copy-on-write space grown by that size
 * whenever the origin's changes have filled it to the threshold, so it is not invalidated by an origin that keeps
 * being written. Only snapshots with a COW space of their own (LVM thick snapshots) are watched; one pass looks at
 * every snapshot this node made through CSI. A pass never throws: a failure is logged and the next pass tries
 * again.
 */
public final class SnapshotSpaceKeeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SnapshotSpaceKeeper.class.getName());
    static final int DEFAULT_THRESHOLD_PERCENT = 50;
    /** How often the node looks: a COW area filling faster than this from the threshold to full is lost anyway. */
    public static final Duration PERIOD = Duration.ofSeconds(15);

    /** What one pass did. */
    public record Pass(int watched, int grown, int failed) {
    }

    /** The node's snapshots and their COW space ({@link LocalNodeStorage}). */
    public interface Snapshots {
        java.util.List<SnapshotRecord> snapshots();

        Optional<CowSpace> cowSpace(io.openlocal.backend.volume.VolumeRef snapshot);

        CowSpace growCowSpace(io.openlocal.backend.volume.VolumeRef snapshot, long newSizeBytes);
    }

    private final Snapshots storage;
    private ScheduledExecutorService timer;

    public SnapshotSpaceKeeper(Snapshots storage) {
        this.storage = storage;
    }

    /** Runs a pass every {@code period} until closed. */
    public SnapshotSpaceKeeper start(Duration period) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("snapshot-space")
                .factory());
        timer.scheduleWithFixedDelay(this::pass, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Looks at every snapshot once and grows those that need it. */
    public Pass pass() {
        int watched = 0;
        int grown = 0;
        int failed = 0;
        java.util.List<SnapshotRecord> snapshots;
        try {
            snapshots = storage.snapshots();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "snapshot space: cannot list snapshots: " + e.getMessage());
            return new Pass(0, 0, 1);
        }
        for (SnapshotRecord snapshot : snapshots) {
            Optional<Long> step = expansion(snapshot.parameters());
            if (step.isEmpty()) {
                continue;
            }
            try {
                Optional<CowSpace> space = storage.cowSpace(snapshot.ref());
                if (space.isEmpty()) {
                    continue;
                }
                watched++;
                int threshold = threshold(snapshot.parameters());
                if (space.get().usedPercent() < threshold) {
                    continue;
                }
                long wanted = Math.addExact(space.get().sizeBytes(), step.get());
                CowSpace after = storage.growCowSpace(snapshot.ref(), wanted);
                grown++;
                LOG.info("snapshot " + snapshot.ref() + " (" + snapshot.csiName() + "): copy-on-write space "
                        + String.format(java.util.Locale.ROOT, "%.1f", space.get().usedPercent()) + "% used of "
                        + Sizes.human(space.get().sizeBytes()) + ", at or above " + threshold + "%: grown to "
                        + Sizes.human(after.sizeBytes()));
            } catch (StorageException | ArithmeticException e) {
                failed++;
                LOG.warning("snapshot " + snapshot.ref() + " (" + snapshot.csiName() + "): cannot grow its "
                        + "copy-on-write space: " + e.getMessage() + "; the snapshot is invalidated if it fills up");
            }
        }
        return new Pass(watched, grown, failed);
    }

    private static Optional<Long> expansion(Map<String, String> recorded) {
        String text = recorded.get(SnapshotParameters.EXPANSION_SIZE);
        try {
            return text == null ? Optional.empty() : Optional.of(Long.parseLong(text)).filter(v -> v > 0);
        } catch (NumberFormatException e) {
            return Optional.empty(); // recorded by this program in canonical form; anything else is not ours
        }
    }

    private static int threshold(Map<String, String> recorded) {
        String text = recorded.get(SnapshotParameters.EXPANSION_THRESHOLD);
        if (text == null || !text.matches("[0-9]{1,3}%")) {
            return DEFAULT_THRESHOLD_PERCENT;
        }
        return Integer.parseInt(text.substring(0, text.length() - 1));
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
