package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.extender.config.ExtenderOptions;
import io.openlocal.launcher.OpenLocal;
import io.openlocal.observe.log.LogFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.ParseResult;

/**
 * The launcher's own command line accepts the args of every open-local container the chart renders (parsed, not
 * run), so a flag the chart passes cannot be one the launcher does not know or places where it is not taken.
 */
class LauncherArgsTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void everyOpenLocalContainersArgsParseAndSelectJsonLogs(String values) {
        for (PodSpecs.Container container : PodSpecs.containers(ValueSets.render(values))) {
            if (!container.isOpenLocal()) {
                continue;
            }
            // Kubernetes expands $(NODE_NAME) from the env before the process starts.
            List<String> args = container.args().stream().map(a -> a.replace("$(NODE_NAME)", "node-1")).toList();
            ParseResult parsed = OpenLocal.commandLine().parseArgs(args.toArray(String[]::new));
            assertThat(parsed.hasSubcommand()).as("%s", container).isTrue();
            ParseResult sub = parsed.subcommand();
            assertThat(sub.commandSpec().name()).isEqualTo(args.getFirst());
            assertThat(sub.matchedOptionValue("--log-format", LogFormat.TEXT)).as("%s", container)
                    .isEqualTo(LogFormat.JSON);
            if (args.getFirst().equals("scheduler-extender")) {
                // What the launcher does not take is the extender's own flags, parsed by the extender.
                ExtenderOptions.parse(sub.unmatched().toArray(String[]::new));
                assertThat(sub.unmatched()).doesNotContain("--log-format=json");
            } else {
                assertThat(sub.unmatched()).as("%s", container).isEmpty();
            }
        }
    }
}
