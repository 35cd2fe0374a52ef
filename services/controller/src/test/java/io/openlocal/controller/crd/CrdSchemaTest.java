package io.openlocal.controller.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.kube.crd.NodeLocalStorageSpec;
import io.openlocal.kube.crd.NodeLocalStorageStatus;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Condition;
import io.openlocal.kube.crd.NodeLocalStorageStatus.DeviceInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.FilteredStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.LogicalVolume;
import io.openlocal.kube.crd.NodeLocalStorageStatus.MountPointInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.NodeStorageInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.SpdkStore;
import io.openlocal.kube.crd.NodeLocalStorageStatus.StorageState;
import io.openlocal.kube.crd.NodeLocalStorageStatus.Summary;
import io.openlocal.kube.crd.NodeLocalStorageStatus.UpdateStatusInfo;
import io.openlocal.kube.crd.NodeLocalStorageStatus.VolumeGroup;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Open-Local's documented NLS/NLSC YAML against our CRD schemas (JSON Schema validation of each CRD's
 * openAPIV3Schema, plus the API server's pruning of undeclared fields), and broken variants that must fail.
 */
class CrdSchemaTest {

    private static final CrdSchemas NLS = CrdSchemas.load("csi.aliyun.com_nodelocalstorages.yaml");
    private static final CrdSchemas NLSC = CrdSchemas.load("csi.aliyun.com_nodelocalstorageinitconfigs.yaml");

    @Test
    void openLocalNlsDocumentIsValidAndKeptWhole() {
        JsonNode doc = CrdSchemas.readSample("nls-doc.yaml");
        assertThat(NLS.validate(doc)).isEmpty();
        assertThat(NLS.pruned(doc)).isEmpty();
    }

    @Test
    void openLocalNlscDocumentIsValidButItsMisspeltEntryWouldBePruned() {
        JsonNode doc = CrdSchemas.readSample("nlsc-doc.yaml");
        assertThat(NLSC.validate(doc)).isEmpty();
        // The document's "resourceInit.vg[].vgName" is not a CRD field (nor one of Open-Local's own CRD): an API
        // server drops it, so that node entry initialises nothing. Everything else is kept.
        assertThat(NLSC.pruned(doc)).containsExactly("spec.nodesConfig[1].resourceInit");
    }

    @Test
    void openLocalHelmChartNlscIsValidAndKeptWhole() {
        JsonNode chart = CrdSchemas.readSample("nlsc-helm.yaml");
        assertThat(NLSC.validate(chart)).isEmpty();
        assertThat(NLSC.pruned(chart)).isEmpty();
    }

    private static List<String> nlsErrors(Consumer<ObjectNode> breakIt) {
        ObjectNode doc = (ObjectNode) CrdSchemas.readSample("nls-doc.yaml").deepCopy();
        breakIt.accept(doc);
        return NLS.validate(doc);
    }

    private static List<String> nlscErrors(Consumer<ObjectNode> breakIt) {
        ObjectNode doc = (ObjectNode) CrdSchemas.readSample("nlsc-doc.yaml").deepCopy();
        breakIt.accept(doc);
        return NLSC.validate(doc);
    }

    private static ObjectNode spec(ObjectNode doc) {
        return (ObjectNode) doc.get("spec");
    }

    @Test
    void brokenNlsDocumentsFailNamingTheField() {
        assertThat(nlsErrors(d -> spec(d).put("nodeName", 42)))
                .singleElement().asString().contains("/spec/nodeName", "integer found, string expected");
        assertThat(nlsErrors(d -> ((ObjectNode) spec(d).at("/resourceToBeInited/vgs/0")).remove("devices")))
                .singleElement().asString().contains("/spec/resourceToBeInited/vgs/0", "devices");
        assertThat(nlsErrors(d -> spec(d).withObject("/resourceToBeInited").putArray("mountpoints").addObject()
                .put("path", "relative/dir").put("device", "/dev/vdc")))
                .singleElement().asString().contains("/spec/resourceToBeInited/mountpoints/0/path", "pattern");
        assertThat(nlsErrors(d -> spec(d).putObject("spdkConfig").put("deviceType", "toolongtype")))
                .singleElement().asString().contains("/spec/spdkConfig/deviceType");
        assertThat(nlsErrors(d -> {
            ArrayNode include = spec(d).withObject("/listConfig/vgs").putArray("include");
            for (int i = 0; i < 51; i++) {
                include.add("pool-" + i);
            }
        })).singleElement().asString().contains("/spec/listConfig/vgs/include", "50");
        assertThat(nlsErrors(d -> ((ObjectNode) d.at("/status/nodeStorageInfo/deviceInfo/0")).put("total", "20Gi")))
                .singleElement().asString().contains("/status/nodeStorageInfo/deviceInfo/0/total", "integer");
        assertThat(nlsErrors(d -> ((ObjectNode) d.at("/status/nodeStorageInfo/volumeGroups/0")).remove("total")))
                .singleElement().asString().contains("/status/nodeStorageInfo/volumeGroups/0", "total");
    }

    @Test
    void brokenNlscDocumentsFailNamingTheField() {
        assertThat(nlscErrors(d -> spec(d).putObject("nodesConfig")))
                .singleElement().asString().contains("/spec/nodesConfig", "array expected");
        assertThat(nlscErrors(d -> ((ObjectNode) spec(d).at("/nodesConfig/0/selector/matchExpressions/0"))
                .remove("operator")))
                .singleElement().asString().contains("/spec/nodesConfig/0/selector/matchExpressions/0", "operator");
        assertThat(nlscErrors(d -> ((ObjectNode) spec(d).at("/globalConfig/resourceToBeInited/vgs/0"))
                .put("name", "")))
                .singleElement().asString().contains("/spec/globalConfig/resourceToBeInited/vgs/0/name");
        assertThat(nlscErrors(d -> ((ObjectNode) spec(d).at("/nodesConfig/1/selector")).putObject("matchLabels")
                .put("zone", 3)))
                .singleElement().asString().contains("/spec/nodesConfig/1/selector/matchLabels/zone");
    }

    @Test
    void statusTheAgentWritesFitsTheSchema() {
        OffsetDateTime t = OffsetDateTime.parse("2026-03-01T10:00:00Z");
        var status = new NodeLocalStorageStatus(
                new NodeStorageInfo(
                        List.of(new DeviceInfo("/dev/loop3", "ssd", false, 268435456L, "DiskReady")),
                        List.of(new VolumeGroup("pool0", List.of("/dev/loop4", "/dev/loop5"),
                                List.of(new LogicalVolume("local-pvc-1", "pool0", 4194304L, null, "DiskReady")),
                                532676608L, 528482304L, 532676608L, "DiskReady")),
                        List.of(new MountPointInfo("/mnt/open-local/disk-1", 1000L, 900L, "ext4", false,
                                List.of("rw"), false, "DiskReady", "/dev/loop6")),
                        List.of(new SpdkStore("lvs0", "a-uuid", "aio0", 1L << 30, 1L << 29, 4194304L, "DiskReady")),
                        "Running", new StorageState("DiskReady", "True", null, null, t, null)),
                new FilteredStorageInfo(List.of("pool0"), List.of(), List.of("/dev/loop3"), List.of("lvs0"),
                        new UpdateStatusInfo(t, "accepted", null)),
                new Summary(1, "504Mi", 1),
                List.of(new Condition(Condition.SPEC_VALID, "True", "Valid", "the spec is valid", t, 2L)));
        var nls = new NodeLocalStorage(new V1ObjectMeta().name("node-1"),
                new NodeLocalStorageSpec("node-1", null, null, null), status);
        JsonNode json;
        try {
            json = CrdSchemas.YAML.readTree(new JSON().serialize(nls));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(NLS.validate(json)).isEmpty();
        // status.conditions is ours; until the CRD declares it, an API server would prune it (see the report).
        boolean crdHasConditions = !NLS.schemaAt("status", "conditions").isMissingNode();
        if (crdHasConditions) {
            assertThat(NLS.pruned(json)).isEmpty();
        } else {
            assertThat(NLS.pruned(json)).containsExactly("status.conditions");
        }
    }
}
