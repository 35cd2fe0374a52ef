package io.openlocal.bench.spdk;

import io.openlocal.backend.spdk.rpc.RpcReply;
import io.openlocal.backend.spdk.rpc.RpcRequest;
import io.openlocal.backend.spdk.rpc.SpdkRpcClient;
import io.openlocal.testinfra.spdk.ShortTempDir;
import io.openlocal.testinfra.spdk.SpdkTargetEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Round trips per second of the SPDK JSON-RPC client against the emulated target: one call at a time on one
 * connection (the baseline), the same requests pipelined in one write, and 16 threads sharing the client
 * (its reader thread matches answers by id, so their calls overlap). Each mode is reported with its ratio to
 * the baseline measured in the same run.
 *
 * <p>Two target models: answering at once, and polling its socket every 4 ms like the real spdk_tgt (whose
 * lone calls take about 8 ms: 125 calls/s measured, 24,000/s pipelined). The second is the realistic one for
 * the ratio; the first shows the client's own overhead.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.openlocal.bench.spdk.RpcRoundTrips [calls]}
 * (default 2000 calls per mode; the polling target's baseline uses a tenth of that to stay short).
 */
public final class RpcRoundTrips {

    private RpcRoundTrips() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        System.out.println("SPDK JSON-RPC round trips against the emulated target (" + calls + " calls per mode)");
        run("target answering at once", Duration.ZERO, calls, calls);
        run("target polling every 4 ms (like spdk_tgt)", Duration.ofMillis(4), Math.max(20, calls / 10), calls);
    }

    private static void run(String label, Duration poll, int baselineCalls, int calls) throws Exception {
        try (ShortTempDir dir = ShortTempDir.create();
             SpdkTargetEmulator target = SpdkTargetEmulator.builder(dir.resolve("spdk.sock")).pollPeriod(poll).start();
             SpdkRpcClient client = new SpdkRpcClient(target.socketPath(), Duration.ofSeconds(60), Duration.ofSeconds(2))) {
            // Warm-up: JIT, connection.
            for (int i = 0; i < 200 && poll.isZero(); i++) {
                client.call("spdk_get_version", null);
            }
            client.pipeline(requests(Math.min(calls, 500)));

            long start = System.nanoTime();
            for (int i = 0; i < baselineCalls; i++) {
                client.call("spdk_get_version", null);
            }
            double oneAtATime = rate(baselineCalls, start);

            start = System.nanoTime();
            List<RpcReply> replies = client.pipeline(requests(calls));
            double pipelined = rate(calls, start);
            if (replies.size() != calls || !replies.stream().allMatch(RpcReply::ok)) {
                throw new IllegalStateException("pipelined calls did not all succeed");
            }

            int threads = 16;
            int perThread = Math.max(1, (poll.isZero() ? calls : baselineCalls) / threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        client.call("spdk_get_version", null);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double concurrent = rate(threads * perThread, start);
            pool.shutdown();

            System.out.println();
            System.out.println(label + ":");
            System.out.printf(Locale.ROOT, "  one at a time      %10.0f calls/s  (baseline, %d calls)%n", oneAtATime, baselineCalls);
            System.out.printf(Locale.ROOT, "  pipelined          %10.0f calls/s  x%.1f%n", pipelined, pipelined / oneAtATime);
            System.out.printf(Locale.ROOT, "  16 threads shared  %10.0f calls/s  x%.1f%n", concurrent, concurrent / oneAtATime);
        }
    }

    private static List<RpcRequest> requests(int n) {
        List<RpcRequest> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(RpcRequest.of("spdk_get_version"));
        }
        return list;
    }

    private static double rate(int calls, long startNanos) {
        return calls / ((System.nanoTime() - startNanos) / 1e9);
    }
}
