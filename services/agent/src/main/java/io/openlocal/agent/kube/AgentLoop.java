package io.openlocal.agent.kube;

import io.kubernetes.client.extended.workqueue.DefaultRateLimitingQueue;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.kubernetes.client.extended.workqueue.ratelimiter.ItemExponentialFailureRateLimiter;
import io.openlocal.agent.node.NodeAgent;
import io.openlocal.agent.node.Notice;
import io.openlocal.agent.node.PassResult;
import io.openlocal.agent.server.AgentMetrics;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.event.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thin Kubernetes layer around {@link NodeAgent}: a rate-limited work queue with one key (the node), fed by
 * the informer (NLS appeared, spec changed) and by a timer (every discovery interval); one worker runs a pass
 * per key, writes the status if it changed and records the pass's new notices as Events. A failed pass is
 * retried with exponential back-off (1 s doubling to the discovery interval), so a broken API server or
 * backend cannot make the agent spin.
 */
public final class AgentLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentLoop.class.getName());

    private final String key;
    private final NodeAgent core;
    private final Supplier<Optional<NodeLocalStorage>> nls;
    private final StatusPublisher publisher;
    private final EventRecorder events;
    private final AgentMetrics metrics;
    private final InitProgressStatus progress;
    private final Duration interval;
    private final Clock clock;
    private final ExecutorService queueExecutor = Executors.newSingleThreadExecutor(r -> thread(r, "agent-queue"));
    private final RateLimitingQueue<String> queue;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> thread(r,
            "agent-timer"));
    private final Thread worker;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>("no pass yet");
    private volatile long lastSuccessNanos;
    private volatile boolean waitingForNls = true;
    private volatile boolean closed;

    /** @param progress shows a running pool initialisation's step in the status during the pass */
    public AgentLoop(String nodeName, NodeAgent core, Supplier<Optional<NodeLocalStorage>> nls,
                     StatusPublisher publisher, EventRecorder events, AgentMetrics metrics,
                     InitProgressStatus progress, Duration interval, Clock clock) {
        this.key = nodeName;
        this.core = core;
        this.nls = nls;
        this.publisher = publisher;
        this.events = events;
        this.metrics = metrics;
        this.progress = progress;
        this.interval = interval;
        this.clock = clock;
        this.queue = new DefaultRateLimitingQueue<>(queueExecutor,
                new ItemExponentialFailureRateLimiter<>(Duration.ofSeconds(1), interval));
        this.worker = thread(this::work, "agent-worker");
    }

    public void start() {
        worker.start();
        timer.scheduleWithFixedDelay(this::trigger, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a pass soon (coalesced with any pass already queued). */
    public void trigger() {
        if (!closed) {
            queue.add(key);
        }
    }

    /** Passes completed (successful or not). */
    public long passes() {
        return passes.get();
    }

    public boolean workerAlive() {
        return worker.isAlive();
    }

    /** Null when the last pass succeeded recently enough; otherwise why not. */
    public String readinessProblem() {
        if (waitingForNls) {
            return "waiting for NodeLocalStorage " + key + " (the controller creates it)";
        }
        if (lastSuccessNanos == 0) {
            return lastError.get();
        }
        long age = System.nanoTime() - lastSuccessNanos;
        if (age > interval.multipliedBy(3).plusSeconds(30).toNanos()) {
            return "no successful pass for " + Duration.ofNanos(age).toSeconds() + " s; last error: " + lastError.get();
        }
        return null;
    }

    private void work() {
        while (!closed) {
            String item;
            try {
                item = queue.get();
            } catch (InterruptedException e) {
                return;
            }
            if (item == null) {
                return; // shut down
            }
            try {
                runPass();
                queue.forget(item);
            } catch (Exception e) {
                lastError.set(e.toString());
                LOG.log(Level.WARNING, "agent pass for " + key + " failed; retrying with back-off", e);
                queue.addRateLimited(item);
            } finally {
                passes.incrementAndGet();
                queue.done(item);
            }
        }
    }

    private void runPass() throws Exception {
        Optional<NodeLocalStorage> current = nls.get();
        if (current.isEmpty()) {
            waitingForNls = true;
            return;
        }
        waitingForNls = false;
        long start = System.nanoTime();
        PassResult result;
        StatusPublisher.Outcome outcome;
        try {
            NodeLocalStorage seen;
            progress.begin(current.get());
            try {
                result = core.pass(current.get());
            } finally {
                // Progress written during the pass made the informer's copy stale: write on top of the newest.
                seen = progress.end();
            }
            // Events first: the core reports a notice once, so it must not be lost to a failed status write.
            for (Notice n : result.notices()) {
                events.record(current.get(), n.type(), n.reason(), n.message());
            }
            outcome = publisher.publish(seen, result.status());
        } catch (Exception e) {
            metrics.passFailed(Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
        lastSuccessNanos = System.nanoTime();
        metrics.passSucceeded(Duration.ofNanos(lastSuccessNanos - start), result,
                outcome == StatusPublisher.Outcome.WRITTEN, clock.instant().getEpochSecond());
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        queue.shutDown();
        // A pass in progress is let finish (interrupting it would kill a running vgcreate or mkfs).
        try {
            worker.join(TimeUnit.MINUTES.toMillis(2));
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queueExecutor.shutdownNow();
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
