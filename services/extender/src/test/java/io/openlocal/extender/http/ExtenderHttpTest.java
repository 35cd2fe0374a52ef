package io.openlocal.extender.http;

import static io.openlocal.extender.Pods.args;
import static io.openlocal.extender.Pods.argsWithNodes;
import static io.openlocal.extender.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.extender.ExtenderService;
import io.openlocal.extender.Http;
import io.openlocal.extender.Readiness;
import io.openlocal.extender.config.ExtenderConfig;
import io.openlocal.extender.wire.Json;
import io.openlocal.scheduling.catalog.ClaimRecord;
import io.openlocal.scheduling.catalog.ClassRecord;
import io.openlocal.scheduling.node.ExclusiveDisk;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP surface against a catalog and ledger filled by hand (the informer tests feed them from an API). */
class ExtenderHttpTest {

    private static final long GI = 1L << 30;
    private static final String DRIVER = "local.csi.aliyun.com";

    private ExtenderService service;
    private Http http;

    @BeforeEach
    void start() {
        service = new ExtenderService(ExtenderConfig.defaults().withHost("127.0.0.1").withPort(0),
                Readiness.alreadyReady());
        http = new Http(service.start());
        var catalog = service.catalog();
        catalog.putClass(ClassRecord.of("open-local-lvm", DRIVER, false, DRIVER, Map.of("volumeType", "LVM")));
        catalog.putClass(ClassRecord.of("open-local-device-hdd", DRIVER, false, DRIVER,
                Map.of("volumeType", "Device", "mediaType", "hdd")));
        catalog.putClass(ClassRecord.of("broken", DRIVER, false, DRIVER, Map.of("volumeType", "lvm")));
        catalog.putClass(ClassRecord.of("ebs", "ebs.csi.aws.com", false, DRIVER, Map.of("type", "gp3")));
        catalog.putClaim(new ClaimRecord("ns/data", "open-local-lvm", 10 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("ns/logs", "open-local-lvm", 20 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("ns/raw", "open-local-device-hdd", 150 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("ns/ebs", "ebs", 10 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("ns/bad", "broken", 10 * GI, false, ""));
        catalog.putClaim(new ClaimRecord("ns/old", "open-local-lvm", 10 * GI, true, "n1"));
        service.ledger().putCapacity(new NodeCapacity("n1", List.of(new SharedPool("vg0", 100 * GI)), List.of(),
                List.of(new ExclusiveDisk("/dev/sdb", 200 * GI, MediaType.HDD)), List.of()));
        service.ledger().putCapacity(new NodeCapacity("n2", List.of(new SharedPool("vg0", 25 * GI)), List.of(),
                List.of(), List.of()));
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void filterAnswersNodeNamesAndSaysWhyEachFailedNodeFailed() throws Exception {
        HttpResponse<String> r = http.post("/scheduler/predicates",
                args(pod("ns", "web-0", "data", "logs"), List.of("n1", "n2", "n3")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.get("NodeNames")).hasSize(1);
        assertThat(body.get("NodeNames").get(0).asText()).isEqualTo("n1");
        assertThat(body.get("Nodes").isNull()).isTrue();
        assertThat(body.get("FailedNodes").get("n2").asText()).contains("ns/logs").contains("volume group");
        assertThat(body.get("FailedAndUnresolvableNodes").get("n3").asText()).contains("no NodeLocalStorage");
        assertThat(body.get("Error").asText()).isEmpty();
    }

    @Test
    void lowerCaseFieldNamesAreAcceptedAsGoDoes() throws Exception {
        String lower = "{\"pod\":" + pod("ns", "web-0", "data") + ",\"nodenames\":[\"n1\",\"n2\"]}";
        JsonNode body = Json.mapper().readTree(http.post("/scheduler/predicates", lower).body());
        assertThat(body.get("NodeNames")).hasSize(2);
    }

    @Test
    void fullNodeObjectsOfPassingNodesAreEchoedBack() throws Exception {
        HttpResponse<String> r = http.post("/scheduler/predicates",
                argsWithNodes(pod("ns", "web-0", "data", "logs"), List.of("n1", "n2")));
        JsonNode body = Json.mapper().readTree(r.body());
        JsonNode items = body.get("Nodes").get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("metadata").get("name").asText()).isEqualTo("n1");
        assertThat(items.get(0).get("status").get("capacity").get("cpu").asText()).isEqualTo("4");
        assertThat(body.get("FailedNodes").has("n2")).isTrue();
    }

    @Test
    void prioritizeScoresEveryNodeAskedAboutFromZeroToTen() throws Exception {
        HttpResponse<String> r = http.post("/scheduler/priorities",
                args(pod("ns", "web-0", "data"), List.of("n1", "n2", "n3")));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = Json.mapper().readTree(r.body());
        assertThat(list).hasSize(3);
        assertThat(list.get(0).get("Host").asText()).isEqualTo("n1");
        assertThat(list.get(0).get("Score").asLong()).isEqualTo(1);  // 10/100 GiB, binpack
        assertThat(list.get(1).get("Score").asLong()).isEqualTo(4);  // 10/25 GiB
        assertThat(list.get(2).get("Score").asLong()).isZero();       // no NLS
    }

    @Test
    void podsWithoutClaimsOfOursPassThroughUntouched() throws Exception {
        for (String p : List.of(pod("ns", "web-0", "ebs"), pod("ns", "web-1", "old"), pod("ns", "web-2"),
                pod("ns", "web-3", "not-created-yet"))) {
            JsonNode filter = Json.mapper().readTree(http.post("/scheduler/predicates",
                    args(p, List.of("n1", "n2", "n3"))).body());
            assertThat(filter.get("NodeNames")).hasSize(3);
            assertThat(filter.get("FailedNodes")).isEmpty();
            JsonNode scores = Json.mapper().readTree(http.post("/scheduler/priorities",
                    args(p, List.of("n1", "n2", "n3"))).body());
            assertThat(scores).allSatisfy(s -> assertThat(s.get("Score").asLong()).isZero());
        }
    }

    @Test
    void aClaimOfAnInvalidOpenLocalClassFailsEveryNodeNamingTheParameter() throws Exception {
        JsonNode body = Json.mapper().readTree(http.post("/scheduler/predicates",
                args(pod("ns", "web-0", "bad"), List.of("n1", "n2"))).body());
        assertThat(body.get("NodeNames")).isEmpty();
        assertThat(body.get("FailedAndUnresolvableNodes").get("n1").asText())
                .contains("StorageClass broken").contains("'volumeType'");
    }

    @Test
    void allocationRouteAnswersBindingInfoAndTheNextPodSeesThePromise() throws Exception {
        HttpResponse<String> r = http.post("/apis/scheduling/ns/persistentvolumeclaims/logs?nodeName=n2"
                + "&volumeType=LVM", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode binding = Json.mapper().readTree(r.body());
        assertThat(binding.get("node").asText()).isEqualTo("n2");
        assertThat(binding.get("vgName").asText()).isEqualTo("vg0");
        assertThat(binding.get("volumeType").asText()).isEqualTo("LVM");
        assertThat(binding.get("persistentVolumeClaim").asText()).isEqualTo("ns/logs");
        assertThat(binding.get("device").asText()).isEmpty();
        // asking again returns the same allocation
        assertThat(http.post("/apis/scheduling/ns/persistentvolumeclaims/logs?nodeName=n2", null).body())
                .isEqualTo(r.body());
        JsonNode cache = Json.mapper().readTree(http.get("/cache?nodeName=n2").body());
        assertThat(cache.get("allocations")).hasSize(1);
    }

    @Test
    void allocationRouteRefusesWhatDoesNotFitOrIsPromisedElsewhere() {
        assertThat(http.post("/apis/scheduling/ns/persistentvolumeclaims/data?nodeName=n2", null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> elsewhere = http.post("/apis/scheduling/ns/persistentvolumeclaims/data?nodeName=n1", null);
        assertThat(elsewhere.statusCode()).isEqualTo(409);
        assertThat(elsewhere.body()).contains("already promised to node n2");
        HttpResponse<String> full = http.post("/apis/scheduling/ns/persistentvolumeclaims/logs?nodeName=n2", null);
        assertThat(full.statusCode()).isEqualTo(409);
        assertThat(full.body()).contains("ns/logs needs 20.0 GiB");
        assertThat(http.post("/apis/scheduling/ns/persistentvolumeclaims/nope?nodeName=n1", null).statusCode())
                .isEqualTo(404);
        HttpResponse<String> noNode = http.post("/apis/scheduling/ns/persistentvolumeclaims/data", null);
        assertThat(noNode.statusCode()).isEqualTo(400);
        assertThat(noNode.body()).contains("nodeName is required");
        HttpResponse<String> wrongType = http.post("/apis/scheduling/ns/persistentvolumeclaims/raw?nodeName=n1"
                + "&volumeType=LVM", null);
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body()).contains("does not match StorageClass open-local-device-hdd");
        assertThat(http.post("/apis/scheduling/ns/persistentvolumeclaims/ebs?nodeName=n1", null).statusCode())
                .isEqualTo(400);
        assertThat(http.post("/apis/scheduling/ns/persistentvolumeclaims/raw?nodeName=n3", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void deviceAllocationNamesTheDevice() throws Exception {
        JsonNode binding = Json.mapper().readTree(
                http.post("/apis/scheduling/ns/persistentvolumeclaims/raw?nodeName=n1", null).body());
        assertThat(binding.get("device").asText()).isEqualTo("/dev/sdb");
        assertThat(binding.get("volumeType").asText()).isEqualTo("Device");
        JsonNode filter = Json.mapper().readTree(http.post("/scheduler/predicates",
                args(pod("ns", "other", "raw"), List.of("n1"))).body());
        // the same claim asked by another pod: already promised to n1, and n1 it is
        assertThat(filter.get("NodeNames")).hasSize(1);
    }

    @Test
    void versionMetricsHealthAndCacheAnswer() throws Exception {
        http.post("/scheduler/predicates", args(pod("ns", "web-0", "data"), List.of("n1")));
        assertThat(http.get("/version").body()).startsWith("open-local-java-0.1.0");
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("openlocal_extender_decision_seconds_count{verb=\"filter\"} 1")
                .contains("openlocal_extender_decision_seconds_bucket{verb=\"filter\",le=")
                .contains("openlocal_extender_rejects_total{reason=\"node-does-not-fit\"}")
                .contains("openlocal_ledger_entries ")
                .contains("local_volume_group_total{nodename=\"n1\",vgname=\"vg0\"} " + 100 * GI)
                .contains("local_device_bind{nodename=\"n1\",name=\"/dev/sdb\"} 0");
        assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
        JsonNode all = Json.mapper().readTree(http.get("/cache").body());
        assertThat(all).hasSize(2);
        JsonNode n1 = Json.mapper().readTree(http.post("/cache?nodeName=n1", null).body());
        assertThat(n1.get("volumeGroups").get(0).get("freeBytes").asLong()).isEqualTo(100 * GI);
        assertThat(http.get("/cache?nodeName=nope").statusCode()).isEqualTo(404);
    }

    @Test
    void beforeTheClusterStateIsLoadedTheVerbsAnswer503() {
        service.readiness().markNotReady();
        HttpResponse<String> r = http.post("/scheduler/predicates", args(pod("ns", "web-0", "data"), List.of("n1")));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("retry");
        assertThat(http.get("/readyz").statusCode()).isEqualTo(503);
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    }
}
