package io.openlocal.agent.kube;

import io.kubernetes.client.openapi.ApiException;
import io.openlocal.backend.progress.Progress;
import io.openlocal.backend.progress.ProgressReport;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Shows the step a pool initialisation is at in the NodeLocalStorage status while the pass runs: condition
 * {@code ResourcesInitialized} becomes {@code Unknown}, reason {@code Initializing}, message the step
 * ({@code initialising VG pool0: vgcreate pool0 (3/3)}); the pass's own status write then replaces it with the
 * outcome. Put it behind a {@link io.openlocal.observe.progress.ThrottledProgress}, so the API server sees at most
 * one write per operation per interval.
 *
 * <p>Writes go through {@link StatusPublisher} on a thread of their own (a slow API server must not stall the
 * vgcreate being reported); only the latest step is written. {@link #begin} and {@link #end} bracket one pass;
 * reports outside a pass are ignored. An NLS the agent has not reported on yet (no {@code nodeStorageInfo}) is left
 * alone: a status holding a condition and nothing else would read as "no storage" to the scheduler extender and to
 * Open-Local's tools; the progress log still shows such a node's first initialisation.
 */
public final class InitProgressStatus implements Progress, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InitProgressStatus.class.getName());

    private final StatusPublisher publisher;
    private final Clock clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "agent-progress-status");
        t.setDaemon(true);
        return t;
    });
    private NodeLocalStorage seen;
    private ProgressReport latest;
    private Future<?> inFlight;
    private boolean open;

    public InitProgressStatus(StatusPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    /** A pass on {@code nls} starts: reports until {@link #end} are written into its status. */
    public synchronized void begin(NodeLocalStorage nls) {
        seen = nls;
        latest = null;
        open = true;
    }

    /**
     * The pass's changes are done: no more progress writes. Waits for one in flight, and returns the object as the
     * API server now holds it, which the pass's status write must start from (its resourceVersion is newer than the
     * informer's copy if progress was written).
     */
    public NodeLocalStorage end() {
        Future<?> pending;
        synchronized (this) {
            open = false;
            latest = null;
            pending = inFlight;
        }
        if (pending != null) {
            try {
                pending.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.WARNING, "progress write did not finish; the pass's status write goes on", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            return seen;
        }
    }

    @Override
    public synchronized void report(ProgressReport report) {
        if (!open || report.finished()) {
            return; // the pass's own status write tells how it ended
        }
        if (seen.getStatus() == null || seen.getStatus().nodeStorageInfo() == null) {
            return; // not reported on yet: see the class comment
        }
        latest = report;
        if (inFlight == null || inFlight.isDone()) {
            inFlight = writer.submit(this::writeLatest);
        }
    }

    private void writeLatest() {
        NodeLocalStorage base;
        ProgressReport report;
        synchronized (this) {
            if (!open || latest == null || seen == null) {
                return;
            }
            base = seen;
            report = latest;
            latest = null;
        }
        try {
            StatusPublisher.Published published = publisher.publishReturning(base, withStep(base, report));
            synchronized (this) {
                if (published.object() != null) {
                    seen = published.object();
                }
                if (open && latest != null) {
                    inFlight = writer.submit(this::writeLatest); // a newer step came in during the write
                }
            }
        } catch (ApiException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot show progress in NodeLocalStorage "
                    + base.getMetadata().getName() + ": " + e.getMessage());
        }
    }

    /** The status as last seen, with ResourcesInitialized saying which step runs. */
    private NodeLocalStorageStatus withStep(NodeLocalStorage nls, ProgressReport report) {
        NodeLocalStorageStatus status = nls.getStatus();
        Long generation = nls.getMetadata() == null ? null : nls.getMetadata().getGeneration();
        Condition step = new Condition(Condition.RESOURCES_INITIALIZED, Condition.UNKNOWN, Condition.INITIALIZING,
                report.line(), OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).withNano(0),
                generation);
        List<Condition> conditions = new ArrayList<>(status.conditions());
        conditions.replaceAll(c -> c.type().equals(Condition.RESOURCES_INITIALIZED) ? step : c);
        if (!conditions.contains(step)) {
            conditions.add(step);
        }
        return new NodeLocalStorageStatus(status.nodeStorageInfo(), status.filteredStorageInfo(), status.summary(),
                conditions);
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
