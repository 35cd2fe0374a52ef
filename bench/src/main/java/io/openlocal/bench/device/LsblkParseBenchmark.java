package io.openlocal.bench.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.device.discovery.LsblkDevice;
import io.openlocal.device.discovery.LsblkParser;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Cost of reading a 200-disk {@code lsblk --json --bytes} output into the Device backend's records
 * ({@link LsblkParser}, Jackson streaming), against the baseline of Jackson reading the same text into a tree
 * (the least any JSON reader must do, and what a tree-then-map parser would start with). The ratio
 * {@code parseLsblk / jacksonTreeBaseline} is printed by {@link #main}.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar LsblkParseBenchmark}, or with the ratio:
 * {@code java -cp bench/target/benchmarks.jar io.openlocal.bench.device.LsblkParseBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LsblkParseBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"200"})
    public int diskCount;

    private String output;

    @Setup
    public void setUp() throws IOException {
        output = LsblkOutputGenerator.generate(diskCount);
        List<LsblkDevice> parsed = LsblkParser.parse(output);
        long devices = parsed.stream().flatMap(LsblkDevice::flatten).count();
        if (parsed.size() != diskCount || devices != diskCount + (diskCount + 3) / 4 * 3
                || JSON.readTree(output).path("blockdevices").size() != diskCount) {
            throw new IllegalStateException("generated output does not hold " + diskCount + " disks");
        }
    }

    @Benchmark
    public JsonNode jacksonTreeBaseline() throws IOException {
        return JSON.readTree(output);
    }

    @Benchmark
    public List<LsblkDevice> parseLsblk() {
        return LsblkParser.parse(output);
    }

    /** Runs both benchmarks in one invocation and prints the ratio. */
    public static void main(String[] args) throws RunnerException {
        var results = new Runner(new OptionsBuilder().include(LsblkParseBenchmark.class.getSimpleName()).build()).run();
        double baseline = score(results, "jacksonTreeBaseline");
        double ours = score(results, "parseLsblk");
        System.out.printf(java.util.Locale.ROOT, "%nlsblk JSON, 200 disks: parseLsblk %.1f us, Jackson tree %.1f us,"
                + " ratio parseLsblk/jacksonTree = %.2f%n", ours, baseline, ours / baseline);
    }

    private static double score(java.util.Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method)).findFirst()
                .orElseThrow().getPrimaryResult().getScore();
    }
}
