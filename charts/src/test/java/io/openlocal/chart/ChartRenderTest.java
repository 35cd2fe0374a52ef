package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.chart.RenderedChart.Manifest;
import io.openlocal.chart.template.TemplateException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every chart file renders to valid Kubernetes YAML, with the defaults, with SPDK, and with every option on. */
class ChartRenderTest {

    private static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding", "StorageClass",
            "VolumeSnapshotClass", "CSIDriver", "NodeLocalStorageInitConfig");

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void everyDocumentIsAKubernetesObjectWithApiVersionKindAndName(String values) {
        RenderedChart chart = ValueSets.render(values);
        assertThat(chart.manifests()).hasSizeGreaterThan(10);
        for (Manifest manifest : chart.manifests()) {
            assertThat(manifest.body().isObject()).as("%s is a mapping", manifest).isTrue();
            assertThat(manifest.body().path("apiVersion").asText()).as("%s apiVersion", manifest).isNotBlank();
            assertThat(manifest.kind()).as("%s kind", manifest).isNotBlank();
            assertThat(manifest.name()).as("%s name", manifest).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            assertThat(manifest.name().length()).as("%s name length", manifest).isLessThanOrEqualTo(63);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void namespacedObjectsLiveInTheReleaseNamespace(String values) {
        for (Manifest manifest : ValueSets.render(values).manifests()) {
            if (CLUSTER_SCOPED.contains(manifest.kind())) {
                assertThat(manifest.namespace()).as("%s is cluster-scoped", manifest).isEmpty();
            } else if (manifest.name().endsWith("-auth-reader")) {
                // kube-scheduler's delegated authentication reads a configmap in kube-system.
                assertThat(manifest.namespace()).as("%s", manifest).isEqualTo("kube-system");
            } else {
                assertThat(manifest.namespace()).as("%s namespace", manifest).isEqualTo(Charts.NAMESPACE);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void noObjectIsRenderedTwice(String values) {
        Set<String> seen = new HashSet<>();
        for (Manifest manifest : ValueSets.render(values).manifests()) {
            String key = manifest.kind() + "/" + manifest.namespace() + "/" + manifest.name();
            assertThat(seen.add(key)).as("%s rendered twice", key).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void noTemplateErrorTextReachesTheOutput(String values) {
        RenderedChart chart = ValueSets.render(values);
        chart.files().forEach((file, text) -> {
            assertThat(text).as(file).doesNotContain("<no value>", "%!", "<nil>", "map[");
            // Only the Grafana dashboard may contain {{ }} (its legend formats).
            if (!file.equals("dashboard.yaml")) {
                assertThat(text).as(file).doesNotContain("{{", "}}");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.openlocal.chart.ValueSets#all")
    void workloadSelectorsMatchTheirPodLabels(String values) {
        RenderedChart chart = ValueSets.render(values);
        List<Manifest> workloads = chart.manifests().stream()
                .filter(m -> m.kind().equals("Deployment") || m.kind().equals("DaemonSet")).toList();
        assertThat(workloads).isNotEmpty();
        for (Manifest workload : workloads) {
            var selector = workload.body().path("spec").path("selector").path("matchLabels");
            var labels = workload.body().path("spec").path("template").path("metadata").path("labels");
            assertThat(selector.size()).as("%s selector", workload).isGreaterThanOrEqualTo(3);
            selector.properties().forEach(e -> assertThat(labels.path(e.getKey()).asText())
                    .as("%s pod label %s", workload, e.getKey()).isEqualTo(e.getValue().asText()));
        }
        for (Manifest service : chart.ofKind("Service")) {
            var selector = service.body().path("spec").path("selector");
            long matching = workloads.stream().filter(w -> {
                var labels = w.body().path("spec").path("template").path("metadata").path("labels");
                return selector.properties().stream()
                        .allMatch(e -> labels.path(e.getKey()).asText().equals(e.getValue().asText()));
            }).count();
            assertThat(matching).as("workloads behind %s", service).isEqualTo(1);
        }
    }

    @Test
    void notesTellHowToWireTheSchedulerWithoutPatchingTheControlPlane() {
        String notes = Charts.renderDefault().files().get("NOTES.txt");
        assertThat(notes).contains("open-local-scheduler-config", "kube-scheduler-config.yaml",
                "open-local-lvm", "open-local-device-hdd", Charts.NAMESPACE);
        String withScheduler = Charts.render("scheduler: {enabled: true}").files().get("NOTES.txt");
        assertThat(withScheduler).contains("schedulerName: open-local-scheduler");
    }

    @Test
    void anUnknownSchedulingStrategyIsRefusedWithTheValueNamed() {
        assertThatThrownBy(() -> Charts.render("extender: {strategy: fastest}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("extender.strategy must be binpack or spread, not \"fastest\"");
    }

    @Test
    void anSpdkTargetWithoutAnImageIsRefused() {
        assertThatThrownBy(() -> Charts.render("spdk: {enabled: true, target: {enabled: true}}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("spdk.target.image");
    }
}
