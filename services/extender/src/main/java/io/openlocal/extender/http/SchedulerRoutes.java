package io.openlocal.extender.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.openlocal.backend.error.StorageException;
import io.openlocal.extender.Readiness;
import io.openlocal.extender.metrics.ExtenderMetrics;
import io.openlocal.extender.wire.ExtenderArgsReader;
import io.openlocal.extender.wire.ExtenderRequest;
import io.openlocal.extender.wire.ExtenderResponses;
import io.openlocal.scheduling.catalog.ClaimCatalog;
import io.openlocal.scheduling.catalog.PodResolution;
import io.openlocal.scheduling.selection.FilterOutcome;
import io.openlocal.scheduling.selection.NodeSelector;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler's extender verbs at Open-Local's paths: {@code POST /scheduler/predicates} (filter) and
 * {@code POST /scheduler/priorities} (prioritize). One log line per request, never one per node.
 */
public final class SchedulerRoutes implements HttpService {

    static final String FILTER_PATH = "/scheduler/predicates";
    static final String PRIORITIZE_PATH = "/scheduler/priorities";

    private static final System.Logger LOG = System.getLogger("io.openlocal.extender.requests");

    private final ClaimCatalog catalog;
    private final NodeSelector selector;
    private final ExtenderArgsReader reader;
    private final ExtenderMetrics metrics;
    private final Readiness readiness;

    public SchedulerRoutes(ClaimCatalog catalog, NodeSelector selector, ExtenderArgsReader reader,
                           ExtenderMetrics metrics, Readiness readiness) {
        this.catalog = catalog;
        this.selector = selector;
        this.reader = reader;
        this.metrics = metrics;
        this.readiness = readiness;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(FILTER_PATH, this::filter).post(PRIORITIZE_PATH, this::prioritize);
    }

    private void filter(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        ExtenderRequest args = decode(req, res, "filter");
        if (args == null) {
            return;
        }
        PodResolution resolution = catalog.resolve(args.pod());
        FilterOutcome outcome;
        if (!resolution.problems().isEmpty()) {
            outcome = everyNodeFails(args.nodeNames(), String.join("; ", resolution.problems()));
        } else {
            outcome = selector.filter(resolution.request(), args.nodeNames());
        }
        Replies.json(res, ExtenderResponses.filterResult(outcome, args.nodeNames(), args.nodeItems(), ""));
        long took = System.nanoTime() - start;
        metrics.filtered(took, outcome.passed().size(), outcome.failedCount());
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, "filter pod=" + args.pod().key() + " claims=" + resolution.request().claims().size()
                    + " nodes=" + args.nodeNames().size() + " passed=" + outcome.passed().size() + " failed="
                    + outcome.failedCount() + " took=" + took / 1000 + "us"
                    + (outcome.failedCount() == 0 ? "" : " e.g. " + outcome.sampleReason())
                    + (resolution.skipped().isEmpty() ? "" : " skipped " + resolution.skipped()));
        }
    }

    private void prioritize(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        ExtenderRequest args = decode(req, res, "prioritize");
        if (args == null) {
            return;
        }
        PodResolution resolution = catalog.resolve(args.pod());
        long[] scores = resolution.problems().isEmpty()
                ? selector.prioritize(resolution.request(), args.nodeNames())
                : new long[args.nodeNames().size()];
        Replies.json(res, ExtenderResponses.priorities(args.nodeNames(), scores));
        long took = System.nanoTime() - start;
        metrics.prioritized(took);
        if (LOG.isLoggable(Level.INFO)) {
            long best = 0;
            for (long s : scores) {
                best = Math.max(best, s);
            }
            LOG.log(Level.INFO, "prioritize pod=" + args.pod().key() + " claims=" + resolution.request().claims().size()
                    + " nodes=" + args.nodeNames().size() + " best=" + best + " took=" + took / 1000 + "us");
        }
    }

    /** The decoded request, or null after answering 400/503. */
    private ExtenderRequest decode(ServerRequest req, ServerResponse res, String verb) {
        if (!readiness.ready()) {
            Replies.text(res, Status.SERVICE_UNAVAILABLE_503,
                    "the Open-Local scheduler extender is still loading the cluster state; retry");
            return null;
        }
        try {
            return reader.read(Replies.body(req));
        } catch (StorageException.InvalidArgument e) {
            metrics.badRequest(verb);
            LOG.log(Level.INFO, "{0} rejected a request: {1}", verb, e.getMessage());
            Replies.text(res, Status.BAD_REQUEST_400, e.getMessage());
            return null;
        }
    }

    private static FilterOutcome everyNodeFails(List<String> nodes, String reason) {
        Map<String, String> failed = new LinkedHashMap<>();
        for (String n : nodes) {
            failed.put(n, reason);
        }
        return new FilterOutcome(List.of(), Map.of(), failed);
    }
}
