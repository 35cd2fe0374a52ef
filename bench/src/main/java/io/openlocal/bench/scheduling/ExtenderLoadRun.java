package io.openlocal.bench.scheduling;

import io.openlocal.extender.ExtenderService;
import io.openlocal.extender.Readiness;
import io.openlocal.extender.config.ExtenderConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP load run of the scheduler extender over loopback: filter and prioritize for a pod with two LVM claims
 * against 1,000 nodes named in one request ({@code NodeNames}, node-cache-capable mode), at concurrency 1 and 8,
 * with {@code GET /healthz} (a route that does nothing) as the same run's baseline. The extender runs in this
 * JVM with a synthetic cluster (no API server), logging its line per request as in production.
 *
 * <p>Bounded: each phase stops after {@code --requests} requests or {@code --seconds} seconds, whichever first;
 * it only ever connects to 127.0.0.1.
 *
 * <p>Run: {@code java -cp <bench classpath> io.openlocal.bench.scheduling.ExtenderLoadRun [--requests N]
 * [--seconds S] 2>extender.log}
 */
public final class ExtenderLoadRun {

    private static final int NODES = 1000;

    private ExtenderLoadRun() {
    }

    public static void main(String[] args) throws Exception {
        int requests = 4000;
        int seconds = 8;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--requests" -> requests = Math.min(100_000, Integer.parseInt(args[i + 1]));
                case "--seconds" -> seconds = Math.min(120, Integer.parseInt(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        ExtenderService service = new ExtenderService(ExtenderConfig.defaults().withHost("127.0.0.1").withPort(0),
                Readiness.alreadyReady());
        SyntheticCluster.fill(service.ledger(), NODES);
        SyntheticCluster.fillCatalog(service.catalog());
        int port = service.start();
        try {
            byte[] body = extenderArgs().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            System.out.printf(Locale.ROOT, "extender load run: pod with 2 LVM claims, %d nodes per request (%d-byte"
                    + " body), up to %d requests or %d s per phase, loopback%n", NODES, body.length, requests, seconds);
            System.out.printf(Locale.ROOT, "%-22s %5s %9s %9s %9s %10s%n", "route", "conc", "requests", "p50 ms",
                    "p99 ms", "req/s");
            List<Result> results = new ArrayList<>();
            for (int concurrency : new int[] {1, 8}) {
                for (Route route : Route.values()) {
                    run(port, route, body, concurrency, Math.min(requests / 4, 1000), 3); // warm-up, not reported
                    Result r = run(port, route, body, concurrency, requests, seconds);
                    results.add(new Result(route, concurrency, r.count, r.p50, r.p99, r.rate));
                    System.out.printf(Locale.ROOT, "%-22s %5d %9d %9.3f %9.3f %10.0f%n", route.label, concurrency,
                            r.count, r.p50, r.p99, r.rate);
                }
            }
            System.out.println();
            for (int concurrency : new int[] {1, 8}) {
                Result baseline = find(results, Route.BASELINE, concurrency);
                for (Route route : List.of(Route.FILTER, Route.PRIORITIZE)) {
                    Result r = find(results, route, concurrency);
                    double openLocal = concurrency == 1 ? 37 : 57;
                    System.out.printf(Locale.ROOT, "%s at concurrency %d: p99 %.3f ms, %.0f req/s = %.2fx the empty"
                                    + " route's rate (p99 %.2fx); %.0fx Open-Local's %.0f filter req/s%n",
                            route.label, concurrency, r.p99, r.rate, r.rate / baseline.rate, r.p99 / baseline.p99,
                            r.rate / openLocal, openLocal);
                }
            }
        } finally {
            service.close();
        }
    }

    private static Result find(List<Result> results, Route route, int concurrency) {
        return results.stream().filter(r -> r.route == route && r.concurrency == concurrency).findFirst().orElseThrow();
    }

    private static Result run(int port, Route route, byte[] body, int concurrency, int maxRequests, int maxSeconds)
            throws InterruptedException {
        long[] latencies = new long[maxRequests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(maxSeconds).toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            Thread worker = new Thread(() -> {
                try (KeepAliveClient client = route.client(port, body)) {
                    int i;
                    while ((i = next.getAndIncrement()) < maxRequests && System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        int status = client.exchange();
                        latencies[i] = System.nanoTime() - t0;
                        if (status != 200) {
                            failures.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                } finally {
                    done.countDown();
                }
            }, "load-" + t);
            worker.start();
        }
        done.await();
        long elapsed = System.nanoTime() - start;
        int count = Math.min(next.get(), maxRequests);
        long[] measured = Arrays.stream(latencies, 0, count).filter(l -> l > 0).sorted().toArray();
        if (failures.get() > 0 || measured.length == 0) {
            throw new IllegalStateException(failures.get() + " failed requests in a phase");
        }
        return new Result(null, concurrency, measured.length, percentile(measured, 0.50), percentile(measured, 0.99),
                measured.length / (elapsed / 1e9));
    }

    private static double percentile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static String extenderArgs() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"Pod\":{\"metadata\":{\"name\":\"web-0\",\"namespace\":\"bench\",\"uid\":\"1\"},\"spec\":{")
                .append("\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}],\"volumes\":[")
                .append("{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"data\"}},")
                .append("{\"name\":\"logs\",\"persistentVolumeClaim\":{\"claimName\":\"logs\"}}]}},\"NodeNames\":[");
        List<String> names = SyntheticCluster.nodeNames(NODES);
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append('"');
        }
        return sb.append("]}").toString();
    }

    private enum Route {
        BASELINE("GET /healthz (baseline)"),
        FILTER("POST filter"),
        PRIORITIZE("POST prioritize");

        final String label;

        Route(String label) {
            this.label = label;
        }

        KeepAliveClient client(int port, byte[] body) throws IOException {
            return switch (this) {
                case BASELINE -> new KeepAliveClient(port, "GET", "/healthz", null);
                case FILTER -> new KeepAliveClient(port, "POST", "/scheduler/predicates", body);
                case PRIORITIZE -> new KeepAliveClient(port, "POST", "/scheduler/priorities", body);
            };
        }
    }

    private record Result(Route route, int concurrency, int count, double p50, double p99, double rate) {
    }
}
