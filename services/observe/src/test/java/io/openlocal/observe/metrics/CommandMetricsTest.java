package io.openlocal.observe.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ObservedCommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.error.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real commands through the real runner land in the Prometheus exposition under the dashboard's name and labels. */
class CommandMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CommandRunner runner = new ObservedCommandRunner(ProcessCommandRunner.standard(),
            new CommandMetrics(registry));

    @Test
    void eachOutcomeIsAHistogramSeriesByProgram() {
        runner.run(Command.of("true"));
        runner.run(Command.of("true"));
        runner.run(Command.of("false"));
        assertThatThrownBy(() -> runner.run(new Command(List.of("sleep", "20"), Duration.ofMillis(100), Map.of())))
                .isInstanceOf(StorageException.Unavailable.class);

        String scrape = registry.scrape();
        assertThat(scrape).contains("# TYPE openlocal_backend_command_seconds histogram")
                .contains("openlocal_backend_command_seconds_count{outcome=\"ok\",program=\"true\"} 2")
                .contains("openlocal_backend_command_seconds_count{outcome=\"failed\",program=\"false\"} 1")
                .contains("openlocal_backend_command_seconds_count{outcome=\"timeout\",program=\"sleep\"} 1")
                .contains("openlocal_backend_command_seconds_bucket{outcome=\"ok\",program=\"true\",le=\"+Inf\"} 2")
                .contains("openlocal_backend_command_seconds_sum{outcome=\"timeout\",program=\"sleep\"}");
        // The timeout happened after 100 ms, so it is not in the 50 ms bucket but is in the 10 s one.
        assertThat(scrape).contains("openlocal_backend_command_seconds_bucket{outcome=\"timeout\",program=\"sleep\","
                + "le=\"0.05\"} 0").contains("openlocal_backend_command_seconds_bucket{outcome=\"timeout\","
                + "program=\"sleep\",le=\"10.0\"} 1");
    }

    @Test
    void bucketsAreTheFixedSetNotMicrometersPercentileSet() {
        runner.run(Command.of("true"));
        long buckets = registry.scrape().lines()
                .filter(l -> l.startsWith("openlocal_backend_command_seconds_bucket{")).count();
        assertThat(buckets).isEqualTo(CommandMetrics.BUCKETS.length + 1); // plus +Inf
    }
}
