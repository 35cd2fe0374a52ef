package io.openlocal.chart;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Value sets every structural test runs against: the defaults, SPDK, and the optional features switched on. */
final class ValueSets {

    static final String SPDK_WITH_TARGET = """
            spdk:
              enabled: true
              lvstores:
                - {name: lvs0, device: /dev/nvme0n1}
              target:
                enabled: true
                image: registry.example.com/spdk:v26.05
            """;

    static final String EVERYTHING_ELSE = """
            scheduler:
              enabled: true
            nodeApiTls:
              certManager:
                enabled: true
            monitoring:
              podMonitor:
                enabled: true
            extender:
              service:
                clusterIP: 10.96.0.230
            csiDriver:
              ephemeral: true
            """;

    static final String MINIMAL = """
            snapshot:
              enabled: false
            initConfig:
              enabled: false
            monitoring:
              dashboard:
                enabled: false
              scrapeAnnotations: false
            controller:
              replicas: 1
            extender:
              replicas: 1
            csiController:
              replicas: 1
            """;

    private ValueSets() {
    }

    /** The render of a named value set (cached by {@link Charts}). */
    static RenderedChart render(String label) {
        return switch (label) {
            case "default" -> Charts.renderDefault();
            case "spdk" -> Charts.renderSpdk();
            case "spdk-with-target" -> Charts.render(SPDK_WITH_TARGET);
            case "optional-features" -> Charts.render(EVERYTHING_ELSE);
            case "minimal" -> Charts.render(MINIMAL);
            default -> throw new IllegalArgumentException(label);
        };
    }

    static Stream<Arguments> all() {
        return Stream.of("default", "spdk", "spdk-with-target", "optional-features", "minimal").map(Arguments::of);
    }
}
