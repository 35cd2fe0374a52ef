package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.openlocal.chart.template.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Custom resources the chart ships or documents validate against the CRDs' openAPIV3Schema, checked the way
 * the API server does with strict field validation: unknown fields are errors (without it they would be
 * pruned silently and a misspelt key would just vanish).
 */
class CrdSchemaTest {

    private static final Path NLS_CRD = Charts.CHART.resolve("crds/csi.aliyun.com_nodelocalstorages.yaml");
    private static final Path NLSC_CRD = Charts.CHART.resolve("crds/csi.aliyun.com_nodelocalstorageinitconfigs.yaml");

    private static JsonNode read(Path file) throws Exception {
        return Yaml.mapper().readTree(Files.readString(file));
    }

    private static JsonSchema schemaOf(Path crd) throws Exception {
        JsonNode version = read(crd).path("spec").path("versions").get(0);
        JsonNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
        forbidUnknownFields(schema);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    }

    /** Structural schemas: an object with declared properties accepts no others unless it preserves them. */
    private static void forbidUnknownFields(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(e -> forbidUnknownFields(e.getValue()));
        } else if (node instanceof ArrayNode array) {
            array.forEach(CrdSchemaTest::forbidUnknownFields);
        }
    }

    private static Set<ValidationMessage> validate(Path crd, JsonNode resource) throws Exception {
        return schemaOf(crd).validate(resource);
    }

    @Test
    void defaultInitConfigValidatesAgainstTheInitConfigCrd() throws Exception {
        JsonNode nlsc = Charts.renderDefault().get("NodeLocalStorageInitConfig", "open-local").body();
        assertThat(validate(NLSC_CRD, nlsc)).isEmpty();
        assertThat(nlsc.path("apiVersion").asText()).isEqualTo("csi.aliyun.com/v1alpha1");
        assertThat(nlsc.path("spec").path("globalConfig").path("resourceToBeInited").path("vgs").get(0)
                .path("devices").get(0).asText()).isEqualTo("/dev/vdb");
    }

    @Test
    void spdkInitConfigValidatesAndPointsSpdkNodesAtTheSocket() throws Exception {
        JsonNode nlsc = Charts.renderSpdk().get("NodeLocalStorageInitConfig", "open-local").body();
        assertThat(validate(NLSC_CRD, nlsc)).isEmpty();
        JsonNode spdkNodes = nlsc.path("spec").path("nodesConfig").get(0);
        assertThat(spdkNodes.path("selector").path("matchLabels").path("open-local.io/spdk").asText()).isEqualTo("true");
        assertThat(spdkNodes.path("spdkConfig").path("rpcSocket").asText()).isEqualTo("/var/tmp/spdk.sock");
        assertThat(spdkNodes.path("resourceToBeInited").path("lvstores").get(0).path("name").asText())
                .isEqualTo("lvs-nvme0");
    }

    @Test
    void extraNodesConfigFromValuesIsAppendedAndValidates() throws Exception {
        JsonNode nlsc = Charts.render("""
                initConfig:
                  device: ""
                  listConfig:
                    devices:
                      include: ["/dev/vd[c-z]"]
                  nodesConfig:
                    - selector:
                        matchExpressions:
                          - {key: disk, operator: In, values: [nvme]}
                      resourceToBeInited:
                        mountpoints:
                          - {path: /mnt/open-local/disk1, device: /dev/nvme1n1, fsType: ext4}
                """).get("NodeLocalStorageInitConfig", "open-local").body();
        assertThat(validate(NLSC_CRD, nlsc)).isEmpty();
        assertThat(nlsc.path("spec").path("globalConfig").has("resourceToBeInited")).as("no device, no VG").isFalse();
        assertThat(nlsc.path("spec").path("globalConfig").path("listConfig").path("devices").path("include").get(0)
                .asText()).isEqualTo("/dev/vd[c-z]");
        assertThat(nlsc.path("spec").path("nodesConfig").size()).isEqualTo(1);
    }

    @Test
    void theValidationCatchesMisspeltFieldsAndMissingRequiredOnes() throws Exception {
        ObjectNode nlsc = (ObjectNode) Charts.renderDefault().get("NodeLocalStorageInitConfig", "open-local").body()
                .deepCopy();
        ObjectNode global = (ObjectNode) nlsc.path("spec").path("globalConfig");
        global.set("resourceToBeInit", global.remove("resourceToBeInited"));
        assertThat(validate(NLSC_CRD, nlsc)).extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("resourceToBeInit"));

        ObjectNode missingDevices = (ObjectNode) Charts.renderDefault()
                .get("NodeLocalStorageInitConfig", "open-local").body().deepCopy();
        ((ObjectNode) missingDevices.path("spec").path("globalConfig").path("resourceToBeInited").path("vgs").get(0))
                .remove("devices");
        assertThat(validate(NLSC_CRD, missingDevices)).extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("devices"));
    }

    @Test
    void sampleNodeLocalStorageWithStatusValidatesAgainstTheNodeLocalStorageCrd() throws Exception {
        JsonNode nls = read(Path.of("src/test/resources/samples/nodelocalstorage.yaml"));
        assertThat(validate(NLS_CRD, nls)).isEmpty();

        ObjectNode broken = nls.deepCopy();
        ((ObjectNode) broken.path("status").path("nodeStorageInfo").path("volumeGroups").get(0)).put("total", "100Gi");
        assertThat(validate(NLS_CRD, broken)).extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("total"));
    }

    @Test
    void crdsKeepOpenLocalsGroupKindsShortNamesAndScope() throws Exception {
        JsonNode nls = read(NLS_CRD).path("spec");
        JsonNode nlsc = read(NLSC_CRD).path("spec");
        for (JsonNode crd : new JsonNode[] {nls, nlsc}) {
            assertThat(crd.path("group").asText()).isEqualTo("csi.aliyun.com");
            assertThat(crd.path("scope").asText()).isEqualTo("Cluster");
            JsonNode version = crd.path("versions").get(0);
            assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
            assertThat(version.path("served").asBoolean() && version.path("storage").asBoolean()).isTrue();
        }
        assertThat(nls.path("names").path("kind").asText()).isEqualTo("NodeLocalStorage");
        assertThat(PodSpecs.texts(nls.path("names").path("shortNames"))).contains("nls");
        assertThat(nlsc.path("names").path("kind").asText()).isEqualTo("NodeLocalStorageInitConfig");
        assertThat(PodSpecs.texts(nlsc.path("names").path("shortNames"))).contains("nlsc");
        // The agent writes status through the subresource the agent's RBAC allows.
        assertThat(nls.path("versions").get(0).path("subresources").has("status")).isTrue();
    }

    @Test
    void theControllerIsConfiguredWithTheInitConfigTheChartCreates() {
        RenderedChart chart = Charts.renderDefault();
        var controller = PodSpecs.container(chart, "open-local-controller", "controller");
        assertThat(WorkloadTest.config(chart, controller).path("initConfig").asText())
                .isEqualTo(chart.get("NodeLocalStorageInitConfig", "open-local").name());
    }
}
