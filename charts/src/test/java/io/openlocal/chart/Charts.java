package io.openlocal.chart;

import io.openlocal.chart.template.TemplateEngine;
import io.openlocal.chart.template.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared fixtures: the chart under test, its value sets, and renders saved under target/ for reading. */
final class Charts {

    static final Path CHART = Path.of("open-local").toAbsolutePath();
    static final String NAMESPACE = "open-local-system";
    static final ChartRenderer.Release RELEASE = ChartRenderer.Release.install("open-local", NAMESPACE);
    static final TemplateEngine.Lookup NOTHING_INSTALLED = (apiVersion, kind, namespace, name) -> new LinkedHashMap<>();

    private Charts() {
    }

    static ChartRenderer renderer() {
        return new ChartRenderer(CHART);
    }

    // Renders are read-only for tests, so each value set is rendered once per test run (generating the
    // node API certificates makes a render cost a few hundred milliseconds).
    private static final Map<String, RenderedChart> CACHE = new ConcurrentHashMap<>();

    static RenderedChart renderDefault() {
        return CACHE.computeIfAbsent("<default>",
                k -> save("default", renderer().render(RELEASE, NOTHING_INSTALLED)));
    }

    static RenderedChart renderSpdk() {
        return CACHE.computeIfAbsent("<spdk>", k -> save("spdk",
                renderer().render(RELEASE, NOTHING_INSTALLED, CHART.resolve("ci/spdk-values.yaml"))));
    }

    static RenderedChart render(String yamlOverrides) {
        return CACHE.computeIfAbsent(yamlOverrides,
                k -> renderer().render(RELEASE, NOTHING_INSTALLED, List.of(Yaml.readValues(yamlOverrides))));
    }

    static Map<String, Object> values(String yaml) {
        return Yaml.readValues(yaml);
    }

    /** Writes the render to target/rendered/<label>/ so a failing test can be read against real output. */
    private static RenderedChart save(String label, RenderedChart chart) {
        Path dir = Path.of("target", "rendered", label);
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> file : chart.files().entrySet()) {
                Files.writeString(dir.resolve(file.getKey().replace('/', '_')), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chart;
    }
}
