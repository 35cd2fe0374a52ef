package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.chart.Contract.StorageClassSpec;
import io.openlocal.chart.RenderedChart.Manifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** StorageClasses and VolumeSnapshotClasses keep Open-Local's names and parameters, so existing PVCs still bind. */
class StorageClassTest {

    @Test
    void defaultInstallHasExactlyOpenLocalsStorageClasses() {
        RenderedChart chart = Charts.renderDefault();
        assertThat(chart.ofKind("StorageClass")).extracting(Manifest::name)
                .containsExactlyInAnyOrderElementsOf(Contract.OPEN_LOCAL_CLASSES.stream().map(StorageClassSpec::name).toList());
        for (StorageClassSpec spec : Contract.OPEN_LOCAL_CLASSES) {
            assertClass(chart.get("StorageClass", spec.name()), spec);
        }
    }

    @Test
    void spdkInstallAddsTheSpdkClass() {
        RenderedChart chart = Charts.renderSpdk();
        assertClass(chart.get("StorageClass", Contract.SPDK_CLASS.name()), Contract.SPDK_CLASS);
        assertThat(chart.ofKind("StorageClass")).hasSize(Contract.OPEN_LOCAL_CLASSES.size() + 1);
    }

    private static void assertClass(Manifest manifest, StorageClassSpec spec) {
        JsonNode body = manifest.body();
        assertThat(body.path("apiVersion").asText()).isEqualTo("storage.k8s.io/v1");
        assertThat(body.path("provisioner").asText()).as(spec.name()).isEqualTo(Contract.DRIVER);
        assertThat(body.path("volumeBindingMode").asText()).as(spec.name()).isEqualTo("WaitForFirstConsumer");
        assertThat(body.path("reclaimPolicy").asText()).as(spec.name()).isEqualTo("Delete");
        assertThat(body.path("allowVolumeExpansion").isBoolean()).as(spec.name()).isTrue();
        assertThat(body.path("allowVolumeExpansion").asBoolean()).as(spec.name()).isEqualTo(spec.expansion());
        Map<String, String> parameters = new LinkedHashMap<>();
        body.path("parameters").properties().forEach(e -> {
            // StorageClass parameters are map[string]string: a YAML number or boolean would be rejected.
            assertThat(e.getValue().isTextual()).as("%s parameter %s is a string", spec.name(), e.getKey()).isTrue();
            parameters.put(e.getKey(), e.getValue().asText());
        });
        assertThat(parameters).as(spec.name()).isEqualTo(spec.parameters());
    }

    @Test
    void lvmSnapshotClassCarriesOpenLocalsSnapshotParameters() {
        JsonNode body = Charts.renderDefault().get("VolumeSnapshotClass", "open-local-lvm").body();
        assertThat(body.path("apiVersion").asText()).isEqualTo("snapshot.storage.k8s.io/v1");
        assertThat(body.path("driver").asText()).isEqualTo(Contract.DRIVER);
        assertThat(body.path("deletionPolicy").asText()).isEqualTo("Delete");
        Map<String, String> parameters = new LinkedHashMap<>();
        body.path("parameters").properties().forEach(e -> {
            assertThat(e.getValue().isTextual()).as(e.getKey()).isTrue();
            parameters.put(e.getKey(), e.getValue().asText());
        });
        assertThat(parameters).isEqualTo(Contract.LVM_SNAPSHOT_PARAMETERS);
    }

    @Test
    void throttlingParametersSetInValuesReachTheClassAsStrings() {
        RenderedChart chart = Charts.render("""
                storageclass:
                  lvm_throttle:
                    parameters:
                      volumeType: LVM
                      iops: 1024
                      bps: 1Mi
                """);
        JsonNode parameters = chart.get("StorageClass", "open-local-lvm-io-throttle").body().path("parameters");
        assertThat(parameters.path("iops").isTextual()).isTrue();
        assertThat(parameters.path("iops").asText()).isEqualTo("1024");
        assertThat(parameters.path("bps").asText()).isEqualTo("1Mi");
    }

    @Test
    void disabledClassesAreNotRendered() {
        RenderedChart chart = Charts.render("""
                storageclass:
                  device_hdd: {enabled: false}
                  device_ssd: {enabled: false}
                """);
        assertThat(chart.ofKind("StorageClass")).extracting(Manifest::name)
                .containsExactlyInAnyOrder("open-local-lvm", "open-local-lvm-xfs", "open-local-lvm-io-throttle");
    }

    @Test
    void csiDriverNeedsNoAttachAndPassesPodInfo() {
        JsonNode spec = Charts.renderDefault().get("CSIDriver", Contract.DRIVER).body().path("spec");
        assertThat(spec.path("attachRequired").asBoolean(true)).isFalse();
        assertThat(spec.path("podInfoOnMount").asBoolean()).isTrue();
        assertThat(PodSpecs.texts(spec.path("volumeLifecycleModes"))).isEqualTo(List.of("Persistent"));
    }
}
