package io.openlocal.chart;

import io.openlocal.chart.template.TemplateEngine;
import io.openlocal.chart.template.TemplateException;
import io.openlocal.chart.template.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders a chart directory as `helm template` does: values.yaml merged with overrides, every file under
 * templates/ executed with .Values/.Release/.Chart/.Files/.Template, partials (names starting with "_")
 * only contributing their defines. The rendered text is then split into YAML documents.
 */
public final class ChartRenderer {

    /** Release name and namespace, and whether this is an upgrade. */
    public record Release(String name, String namespace, boolean upgrade) {
        public static Release install(String name, String namespace) {
            return new Release(name, namespace, false);
        }
    }

    private final Path chartDir;

    public ChartRenderer(Path chartDir) {
        this.chartDir = chartDir;
    }

    public Path chartDir() {
        return chartDir;
    }

    public Map<String, Object> defaultValues() {
        return Yaml.readValues(read(chartDir.resolve("values.yaml")));
    }

    /** Renders with values.yaml, then each overrides file in order (like -f a.yaml -f b.yaml). */
    public RenderedChart render(Release release, TemplateEngine.Lookup lookup, Path... valueFiles) {
        List<Map<String, Object>> overrides = new ArrayList<>();
        for (Path file : valueFiles) {
            overrides.add(Yaml.readValues(read(file)));
        }
        return render(release, lookup, overrides);
    }

    public RenderedChart render(Release release, TemplateEngine.Lookup lookup, List<Map<String, Object>> overrides) {
        Map<String, Object> values = defaultValues();
        for (Map<String, Object> override : overrides) {
            values = merge(values, override);
        }
        Map<String, Object> chartYaml = Yaml.readValues(read(chartDir.resolve("Chart.yaml")));
        String chartName = String.valueOf(chartYaml.get("name"));

        TemplateEngine engine = new TemplateEngine(lookup);
        Path templatesDir = chartDir.resolve("templates");
        List<Path> files = listFiles(templatesDir);
        for (Path file : files) {
            engine.addTemplate(templateName(chartName, file), read(file));
        }

        Map<String, Object> top = new LinkedHashMap<>();
        top.put("Values", values);
        top.put("Release", releaseObject(release));
        top.put("Chart", chartObject(chartYaml));
        top.put("Files", new ChartFiles(chartDir));
        top.put("Capabilities", Map.of());

        Map<String, String> output = new LinkedHashMap<>();
        for (Path file : files) {
            String relative = templatesDir.relativize(file).toString();
            if (file.getFileName().toString().startsWith("_")) {
                continue;
            }
            String name = templateName(chartName, file);
            Map<String, Object> data = new LinkedHashMap<>(top);
            data.put("Template", Map.of("Name", name, "BasePath", chartName + "/templates"));
            try {
                output.put(relative, engine.execute(name, data));
            } catch (TemplateException e) {
                throw new TemplateException("rendering " + relative + ": " + e.getMessage(), e);
            }
        }
        return new RenderedChart(values, output);
    }

    private static String templateName(String chartName, Path file) {
        Path templates = file.getParent();
        while (!templates.getFileName().toString().equals("templates")) {
            templates = templates.getParent();
        }
        return chartName + "/templates/" + templates.relativize(file).toString().replace('\\', '/');
    }

    private static Map<String, Object> releaseObject(Release release) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("Name", release.name());
        object.put("Namespace", release.namespace());
        object.put("Service", "Helm");
        object.put("IsInstall", !release.upgrade());
        object.put("IsUpgrade", release.upgrade());
        object.put("Revision", release.upgrade() ? 2L : 1L);
        return object;
    }

    // Helm exposes Chart.yaml fields with capitalised names.
    private static Map<String, Object> chartObject(Map<String, Object> chartYaml) {
        Map<String, Object> object = new LinkedHashMap<>();
        chartYaml.forEach((key, value) -> object.put(Character.toUpperCase(key.charAt(0)) + key.substring(1),
                value));
        return object;
    }

    /** Deep merge: maps merge key by key, anything else in the override replaces the base value. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> result = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            Object existing = result.get(key);
            if (existing instanceof Map && value instanceof Map) {
                result.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) value));
            } else {
                result.put(key, value);
            }
        });
        return result;
    }

    private static List<Path> listFiles(Path dir) {
        try (Stream<Path> stream = Files.walk(dir)) {
            return stream.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Helm's .Files: files of the chart outside templates/, read by relative path. */
    static final class ChartFiles implements TemplateEngine.MethodHolder {
        private final Path chartDir;

        ChartFiles(Path chartDir) {
            this.chartDir = chartDir;
        }

        @Override
        public TemplateEngine.Method method(String name) {
            if (!name.equals("Get")) {
                return null;
            }
            return args -> {
                if (args.size() != 1 || !(args.get(0) instanceof String path)) {
                    throw new TemplateException(".Files.Get takes one path");
                }
                Path file = chartDir.resolve(path).normalize();
                if (!file.startsWith(chartDir) || path.startsWith("templates/")) {
                    throw new TemplateException(".Files.Get cannot read " + path);
                }
                // Helm returns an empty string for a missing file.
                return Files.isRegularFile(file) ? read(file) : "";
            };
        }
    }
}
