package io.openlocal.agent;

import io.openlocal.agent.kube.AgentLoop;
import io.openlocal.agent.kube.OwnNlsWatch;
import io.openlocal.observe.ObserveServer;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A running agent; {@link #close()} stops it (a pass in progress is let finish). */
public final class AgentHandle implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentHandle.class.getName());

    private final AgentLoop loop;
    private final OwnNlsWatch watch;
    private final ObserveServer server;
    private final List<AutoCloseable> parts;

    AgentHandle(AgentLoop loop, OwnNlsWatch watch, ObserveServer server, List<AutoCloseable> parts) {
        this.loop = loop;
        this.watch = watch;
        this.server = server;
        this.parts = new ArrayList<>(parts);
    }

    /** The health/metrics server's port. */
    public int port() {
        return server.port();
    }

    /** Asks for a pass now (tests; operators wait for the interval or edit the NLS). */
    public void triggerPass() {
        loop.trigger();
    }

    /** Passes run so far. */
    public long passes() {
        return loop.passes();
    }

    /** Null when ready, else why not. */
    public String readinessProblem() {
        return watch.hasSynced() ? loop.readinessProblem() : "informer not synced";
    }

    /** Names of the NLS objects in the agent's informer cache (only its own when the field selector works). */
    public List<String> cachedNodeLocalStorages() {
        return watch.cachedNames();
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "error while stopping the agent", e);
            }
        }
    }
}
