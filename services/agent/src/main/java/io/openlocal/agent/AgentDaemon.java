package io.openlocal.agent;

import io.helidon.health.HealthCheckType;
import io.kubernetes.client.openapi.ApiClient;
import io.openlocal.agent.backend.NodeBackends;
import io.openlocal.agent.init.ResourceInitializer;
import io.openlocal.agent.kube.AgentLoop;
import io.openlocal.agent.kube.InitProgressStatus;
import io.openlocal.agent.kube.OwnNlsWatch;
import io.openlocal.agent.kube.StatusPublisher;
import io.openlocal.agent.node.NodeAgent;
import io.openlocal.agent.server.AgentMetrics;
import io.openlocal.observe.ObserveServer;
import io.openlocal.observe.progress.ProgressLog;
import io.openlocal.observe.progress.ThrottledProgress;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ObservedCommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.kube.client.KubeClients;
import io.openlocal.kube.event.EventRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Wires the node agent ({@code open-local agent}) and starts it: backends from the registry, the core
 * ({@link NodeAgent}), the informer on this node's NodeLocalStorage, the work loop, and the health/metrics
 * server. The launcher calls {@link #start(AgentConfig)} and closes the handle on shutdown.
 */
public final class AgentDaemon {

    /** What the agent is built from besides its configuration; tests replace parts of it. */
    public record Wiring(BackendRegistry registry, CommandRunner runner, Predicate<String> deviceExists, Clock clock,
                         ApiClient client) {

        /** Backends found with ServiceLoader, real commands, the real clock, the client from the configuration. */
        public static Wiring standard(AgentConfig config) {
            try {
                return new Wiring(BackendRegistry.load(), ProcessCommandRunner.standard(),
                        path -> Files.exists(Path.of(path)), Clock.systemUTC(),
                        KubeClients.create(config.kubeUrl(), config.kubeconfig()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build the Kubernetes client: " + e.getMessage(), e);
            }
        }
    }

    /** Where pool initialisation progress is logged (INFO). */
    private static final Logger PROGRESS_LOG = Logger.getLogger("io.openlocal.agent.progress");

    private AgentDaemon() {
    }

    public static AgentHandle start(AgentConfig config) {
        return start(config, Wiring.standard(config));
    }

    public static AgentHandle start(AgentConfig config, Wiring wiring) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            StatusPublisher publisher = new StatusPublisher(wiring.client());
            EventRecorder events = new EventRecorder(wiring.client(), "open-local-agent", config.nodeName());
            AgentMetrics metrics = new AgentMetrics(config.nodeName(), publisher::conflicts, events::failures);
            // Every command the backends run is timed, whichever runner the wiring brings.
            CommandRunner runner = new ObservedCommandRunner(wiring.runner(), metrics.commandObserver());
            // Pool initialisation steps: a log line and the NLS status, each at most once per 2 s per pool.
            InitProgressStatus progressStatus = new InitProgressStatus(publisher, wiring.clock());
            started.add(progressStatus);
            ThrottledProgress progress = new ThrottledProgress(new ProgressLog(PROGRESS_LOG).andThen(progressStatus),
                    ThrottledProgress.DEFAULT_INTERVAL);
            started.add(progress);
            NodeBackends backends = new NodeBackends(config.nodeName(), wiring.registry(), runner,
                    config.stateDir(), config.backends(), progress);
            started.add(backends);
            ResourceInitializer initializer = new ResourceInitializer(backends, wiring.deviceExists(), wiring.clock(),
                    config.discoveryInterval(), config.initRetryMax());
            NodeAgent core = new NodeAgent(backends, initializer, wiring.clock());

            LoopHolder holder = new LoopHolder();
            OwnNlsWatch watch = new OwnNlsWatch(wiring.client(), config.nodeName(), holder::trigger);
            AgentLoop loop = new AgentLoop(config.nodeName(), core, watch::current, publisher, events, metrics,
                    progressStatus, config.discoveryInterval(), wiring.clock());
            holder.loop = loop;
            ObserveServer server = new ObserveServer(config.serverHost(), config.serverPort(), List.of(
                    new ObserveServer.Check("nodeLocalStorageInformer", HealthCheckType.READINESS,
                            () -> watch.hasSynced() ? null : "the NodeLocalStorage informer has not synced yet"),
                    new ObserveServer.Check("discovery", HealthCheckType.READINESS, loop::readinessProblem),
                    new ObserveServer.Check("worker", HealthCheckType.LIVENESS,
                            () -> loop.workerAlive() ? null : "the agent's worker thread has stopped")),
                    metrics::scrape);
            started.add(server);
            // Close order (reverse of this list): loop first, so no pass runs while the watch and backends go.
            started.add(watch);
            watch.start();
            started.add(loop);
            loop.start();
            loop.trigger();
            return new AgentHandle(loop, watch, server, started);
        } catch (RuntimeException e) {
            AgentHandle.closeAll(started);
            throw e;
        }
    }

    /** Lets the informer's handler reach the loop, which is built after the informer. */
    private static final class LoopHolder {
        volatile AgentLoop loop;

        void trigger() {
            AgentLoop l = loop;
            if (l != null) {
                l.trigger();
            }
        }
    }
}
