package io.openlocal.controller.leader;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Campaigns for a coordination.k8s.io Lease with client-java-extended's {@link LeaderElector}, over and over:
 * while this instance holds the lease, {@code onStart} has run and {@code onStop} has not; when the lease is
 * lost (renewal failed past the deadline), {@code onStop} runs and the instance becomes a candidate again.
 * Closing stops the work first, then gives the lease up so another instance takes over at once.
 */
public final class LeaderLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaderLoop.class.getName());

    private final ApiClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final Runnable onStart;
    private final Runnable onStop;
    private final Thread thread;
    private volatile LeaderElector elector;
    private volatile boolean leading;
    private volatile boolean closed;
    // Each campaign is a term; the elector runs its start hook on another thread, so a start hook that arrives
    // after its term already ended (lease lost at once) must not start the work.
    private long term;
    private long endedTerm;

    public LeaderLoop(ApiClient client, String namespace, String leaseName, String identity, Duration leaseDuration,
                      Duration renewDeadline, Duration retryPeriod, Runnable onStart, Runnable onStop) {
        this.client = client;
        this.namespace = namespace;
        this.leaseName = leaseName;
        this.identity = identity;
        this.leaseDuration = leaseDuration;
        this.renewDeadline = renewDeadline;
        this.retryPeriod = retryPeriod;
        this.onStart = onStart;
        this.onStop = onStop;
        this.thread = new Thread(this::campaign, "leader-election");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean leading() {
        return leading;
    }

    public String identity() {
        return identity;
    }

    private void campaign() {
        while (!closed) {
            LeaderElector e = new LeaderElector(new LeaderElectionConfig(
                    new LeaseLock(namespace, leaseName, identity, client), leaseDuration, renewDeadline, retryPeriod),
                    t -> LOG.log(Level.WARNING, "lease " + namespace + "/" + leaseName + ": " + t, t));
            elector = e;
            long thisTerm;
            synchronized (this) {
                thisTerm = ++term;
            }
            e.run(() -> startLeading(thisTerm), () -> stopLeading(thisTerm));
            if (!closed) {
                try {
                    Thread.sleep(retryPeriod.toMillis());
                } catch (InterruptedException ex) {
                    return;
                }
            }
        }
    }

    private synchronized void startLeading(long ofTerm) {
        if (closed || leading || ofTerm <= endedTerm) {
            return;
        }
        LOG.info(identity + " became the leader (lease " + namespace + "/" + leaseName + ")");
        leading = true;
        onStart.run();
    }

    private synchronized void stopLeading(long ofTerm) {
        endedTerm = Math.max(endedTerm, ofTerm);
        if (!leading) {
            return;
        }
        LOG.info(identity + " stopped leading (lease " + namespace + "/" + leaseName + ")");
        leading = false;
        onStop.run();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            stopLeading(term);
        }
        LeaderElector e = elector;
        if (e != null) {
            e.close(); // gives the lease up when this instance held it
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
