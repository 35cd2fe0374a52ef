package io.openlocal.bench.lvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.lvm.report.FullReport;
import io.openlocal.lvm.report.FullReportParser;
import java.io.IOException;
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

/**
 * Cost of reading a 500-LV {@code lvm fullreport} into the backend's model, against the baseline of Jackson
 * reading the same text into a tree (the least any JSON reader must do). Report {@code parseFullReport /
 * jacksonTreeBaseline} as the ratio.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar FullReportParseBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FullReportParseBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"500"})
    public int lvCount;

    private String report;

    @Setup
    public void setUp() {
        report = FullReportGenerator.generate(lvCount);
        FullReport parsed = FullReportParser.parse(report);
        if (parsed.vgs().getFirst().lvs().size() != lvCount) {
            throw new IllegalStateException("generated report does not hold " + lvCount + " LVs");
        }
    }

    @Benchmark
    public JsonNode jacksonTreeBaseline() throws IOException {
        return JSON.readTree(report);
    }

    @Benchmark
    public FullReport parseFullReport() {
        return FullReportParser.parse(report);
    }
}
