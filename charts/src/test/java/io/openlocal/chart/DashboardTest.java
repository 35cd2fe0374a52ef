package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlocal.chart.Contract.Metric;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard and the README's metrics table agree with the metrics contract. */
class DashboardTest {

    private static final Pattern METRIC = Pattern.compile("\\b(openlocal_[a-z_]+)");
    private static final Pattern BY = Pattern.compile("by \\(([^)]*)\\) \\(([^()]*\\()?[^()]*?(openlocal_[a-z_]+)");
    private static final Pattern SELECTOR = Pattern.compile("(openlocal_[a-z_]+)\\{([^}]*)}");

    private static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(Files.readString(Charts.CHART.resolve("dashboards/open-local.json")));
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asText());
            }
        }
        return exprs;
    }

    private static String baseName(String series) {
        return series.replaceAll("_(bucket|sum|count)$", "");
    }

    private static Map<String, Metric> contract() {
        return Contract.METRICS.stream().collect(Collectors.toMap(Metric::name, m -> m));
    }

    @Test
    void dashboardUsesEveryContractMetricAndNoOther() throws Exception {
        Set<String> used = new HashSet<>();
        for (String expr : expressions(dashboard())) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                String series = m.group(1);
                Metric metric = contract().get(baseName(series));
                assertThat(metric).as("%s in '%s' is in the metrics contract", series, expr).isNotNull();
                if (metric.type().equals("histogram")) {
                    assertThat(series).as("histogram %s is read through its buckets", metric.name()).endsWith("_bucket");
                } else {
                    assertThat(series).isEqualTo(metric.name());
                }
                if (metric.type().equals("counter")) {
                    assertThat(expr).as("counter %s is rated", series).contains("rate(" + series);
                }
                used.add(metric.name());
            }
        }
        assertThat(used).containsExactlyInAnyOrderElementsOf(contract().keySet());
    }

    @Test
    void dashboardGroupsAndFiltersOnlyByLabelsTheMetricsHave() throws Exception {
        for (String expr : expressions(dashboard())) {
            Matcher by = BY.matcher(expr);
            while (by.find()) {
                Metric metric = contract().get(baseName(by.group(3)));
                Set<String> allowed = new HashSet<>(metric.labels());
                allowed.addAll(List.of("le", "pod", "instance"));
                for (String label : by.group(1).split(",")) {
                    assertThat(allowed).as("label %s of %s in '%s'", label.strip(), metric.name(), expr)
                            .contains(label.strip());
                }
            }
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                Metric metric = contract().get(baseName(selector.group(1)));
                Set<String> allowed = new HashSet<>(metric.labels());
                if (selector.group(1).endsWith("_bucket")) {
                    allowed.add("le"); // le="+Inf" reads a histogram's total count through its buckets
                }
                for (String matcher : selector.group(2).split(",")) {
                    String label = matcher.split("[=!~]")[0].strip();
                    assertThat(allowed).as("label %s of %s in '%s'", label, metric.name(), expr).contains(label);
                }
            }
        }
    }

    @Test
    void readmeMetricsTableIsTheContract() throws Exception {
        String readme = Files.readString(Charts.CHART.resolve("README.md"));
        Map<String, Metric> documented = new HashMap<>();
        Pattern row = Pattern.compile("(?m)^\\| `(openlocal_[a-z_]+)` \\| (\\w+) \\| ([^|]*) \\|");
        Matcher m = row.matcher(readme);
        while (m.find()) {
            List<String> labels = new ArrayList<>();
            Matcher label = Pattern.compile("`([a-z_]+)`").matcher(m.group(3));
            while (label.find()) {
                labels.add(label.group(1));
            }
            documented.put(m.group(1), new Metric(m.group(1), m.group(2), labels));
        }
        assertThat(documented).isEqualTo(contract());
    }

    @Test
    void dashboardConfigMapCarriesTheFileWithGrafanasLabel() throws Exception {
        var configMap = Charts.renderDefault().get("ConfigMap", "open-local-grafana-dashboard").body();
        assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        JsonNode embedded = new ObjectMapper().readTree(configMap.path("data").path("open-local.json").asText());
        assertThat(embedded).isEqualTo(dashboard());
        assertThat(embedded.path("uid").asText()).isEqualTo("open-local-java");
        assertThat(Charts.render("monitoring: {dashboard: {enabled: false}}")
                .find("ConfigMap", "open-local-grafana-dashboard")).isEmpty();
    }

    @Test
    void everyOpenLocalPodIsScrapedOnItsHttpPort() {
        RenderedChart chart = ValueSets.render("optional-features");
        for (PodSpecs.Container container : PodSpecs.containers(chart)) {
            if (!container.isOpenLocal()) {
                continue;
            }
            JsonNode annotations = container.workload().body().path("spec").path("template").path("metadata")
                    .path("annotations");
            int http = container.port(new ObjectMapper().getNodeFactory().textNode("http")).orElseThrow();
            if (container.name().equals("csi-plugin") && container.workload().name().equals("open-local-agent")) {
                continue; // the node pod's annotation names the agent's port; the PodMonitor scrapes both
            }
            assertThat(annotations.path("prometheus.io/port").asText()).as("%s", container).isEqualTo(String.valueOf(http));
            assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
        }
        JsonNode endpoints = chart.get("PodMonitor", "open-local").body().path("spec").path("podMetricsEndpoints");
        assertThat(endpoints.get(0).path("port").asText()).isEqualTo("http");
        assertThat(endpoints.get(0).path("path").asText()).isEqualTo("/metrics");
    }
}
