package io.openlocal.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.chart.template.Yaml;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The output of one render: text per template file and the YAML documents in it. */
public final class RenderedChart {

    /** One YAML document of the output. */
    public record Manifest(String file, int index, String text, JsonNode body) {
        public String kind() {
            return body.path("kind").asText();
        }

        public String name() {
            return body.path("metadata").path("name").asText();
        }

        public String namespace() {
            return body.path("metadata").path("namespace").asText("");
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " (" + file + " #" + index + ")";
        }
    }

    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \t]*$");

    private final Map<String, Object> values;
    private final Map<String, String> files;
    private final List<Manifest> manifests;

    RenderedChart(Map<String, Object> values, Map<String, String> files) {
        this.values = values;
        this.files = files;
        this.manifests = parse(files);
    }

    public Map<String, Object> values() {
        return values;
    }

    /** Rendered text per file under templates/ (NOTES.txt included). */
    public Map<String, String> files() {
        return files;
    }

    /** Every non-empty YAML document of every manifest file (NOTES.txt excluded). */
    public List<Manifest> manifests() {
        return manifests;
    }

    public List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    public Optional<Manifest> find(String kind, String name) {
        return manifests.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst();
    }

    public Manifest get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " named " + name
                + " in the rendered chart; have " + manifests));
    }

    private static List<Manifest> parse(Map<String, String> files) {
        List<Manifest> result = new ArrayList<>();
        files.forEach((file, text) -> {
            if (!file.endsWith(".yaml") && !file.endsWith(".yml")) {
                return;
            }
            String[] documents = SEPARATOR.split(text);
            for (int i = 0; i < documents.length; i++) {
                String document = documents[i];
                if (isBlank(document)) {
                    continue;
                }
                try {
                    JsonNode body = Yaml.mapper().readTree(document);
                    result.add(new Manifest(file, i, document, body));
                } catch (IOException e) {
                    throw new AssertionError("templates/" + file + " document #" + i + " is not valid YAML: "
                            + e.getMessage() + "\n---\n" + numbered(document), e);
                }
            }
        });
        return result;
    }

    // Helm drops documents that are empty or only comments.
    private static boolean isBlank(String document) {
        return document.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"));
    }

    private static String numbered(String text) {
        StringBuilder out = new StringBuilder();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            out.append(String.format("%4d | %s%n", i + 1, lines.get(i)));
        }
        return out.toString();
    }
}
