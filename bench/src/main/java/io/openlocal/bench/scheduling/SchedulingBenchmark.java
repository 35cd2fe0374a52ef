package io.openlocal.bench.scheduling;

import io.openlocal.scheduling.claim.PodRequest;
import io.openlocal.scheduling.ledger.AllocationLedger;
import io.openlocal.scheduling.placement.Placer;
import io.openlocal.scheduling.placement.Strategy;
import io.openlocal.scheduling.selection.FilterOutcome;
import io.openlocal.scheduling.selection.NodeSelector;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The extender's algorithm without HTTP: filter and prioritize for a pod with two LVM claims over 1,000 nodes
 * named in one request, against the baseline of only looking the 1,000 nodes up in the ledger (the least any
 * implementation must do). Report {@code filter / nodeLookupBaseline} and {@code prioritize / nodeLookupBaseline}.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SchedulingBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchedulingBenchmark {

    @Param({"1000"})
    public int nodes;

    @Param({"binpack", "spread"})
    public String strategy;

    private AllocationLedger ledger;
    private NodeSelector selector;
    private PodRequest pod;
    private List<String> names;

    @Setup
    public void setUp() {
        ledger = new AllocationLedger(new Placer(Strategy.parse(strategy)));
        SyntheticCluster.fill(ledger, nodes);
        selector = new NodeSelector(ledger);
        pod = SyntheticCluster.twoLvmClaims();
        names = SyntheticCluster.nodeNames(nodes);
        FilterOutcome check = selector.filter(pod, names);
        if (check.passed().size() < nodes / 2) {
            throw new IllegalStateException("the synthetic cluster should mostly fit the pod: " + check.passed().size());
        }
    }

    @Benchmark
    public void nodeLookupBaseline(Blackhole bh) {
        for (String name : names) {
            bh.consume(ledger.state(name));
        }
    }

    @Benchmark
    public FilterOutcome filter() {
        return selector.filter(pod, names);
    }

    @Benchmark
    public long[] prioritize() {
        return selector.prioritize(pod, names);
    }
}
