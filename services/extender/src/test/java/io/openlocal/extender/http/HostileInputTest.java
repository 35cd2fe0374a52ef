package io.openlocal.extender.http;

import static io.openlocal.extender.Pods.args;
import static io.openlocal.extender.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.extender.ExtenderService;
import io.openlocal.extender.Http;
import io.openlocal.extender.Readiness;
import io.openlocal.extender.config.ExtenderConfig;
import io.openlocal.scheduling.catalog.ClaimRecord;
import io.openlocal.scheduling.catalog.ClassRecord;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile bodies: every one is answered 400 with a message that says what is wrong, on both verbs,
 * and the service keeps answering good requests afterwards.
 */
class HostileInputTest {

    private static final String GOOD_POD = pod("ns", "web-0", "data");
    private static ExtenderService service;
    private static Http http;
    private static int port;

    @BeforeAll
    static void start() {
        ExtenderConfig config = new ExtenderConfig("127.0.0.1", 0, io.openlocal.scheduling.placement.Strategy.BINPACK,
                null, null, Duration.ofMinutes(10), Duration.ofSeconds(30), 1L << 20, 50_000);
        service = new ExtenderService(config, Readiness.alreadyReady());
        port = service.start();
        http = new Http(port);
        service.catalog().putClass(ClassRecord.of("lvm", "local.csi.aliyun.com", false, "local.csi.aliyun.com",
                Map.of("volumeType", "LVM")));
        service.catalog().putClaim(new ClaimRecord("ns/data", "lvm", 1L << 30, false, ""));
        service.ledger().putCapacity(new NodeCapacity("n1", List.of(new SharedPool("vg", 10L << 30)), List.of(),
                List.of(), List.of()));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static Map<String, byte[]> bodies() {
        Map<String, byte[]> b = new LinkedHashMap<>();
        String good = args(GOOD_POD, List.of("n1"));
        put(b, "empty body", "");
        put(b, "just an open brace", "{");
        put(b, "truncated after Pod key", "{\"Pod\":");
        put(b, "truncated in the middle", good.substring(0, good.length() / 2));
        put(b, "truncated before the last brace", good.substring(0, good.length() - 1));
        put(b, "JSON null", "null");
        put(b, "an array", "[]");
        put(b, "a number", "42");
        put(b, "a string", "\"ExtenderArgs\"");
        put(b, "empty object", "{}");
        put(b, "Pod null", "{\"Pod\":null,\"NodeNames\":[\"n1\"]}");
        put(b, "Pod a number", "{\"Pod\":5,\"NodeNames\":[\"n1\"]}");
        put(b, "Pod a string", "{\"Pod\":\"web-0\",\"NodeNames\":[\"n1\"]}");
        put(b, "Pod an array", "{\"Pod\":[],\"NodeNames\":[\"n1\"]}");
        put(b, "Pod without metadata", "{\"Pod\":{},\"NodeNames\":[\"n1\"]}");
        put(b, "Pod without name", withPod("{\"metadata\":{}}"));
        put(b, "Pod name a number", withPod("{\"metadata\":{\"name\":5}}"));
        put(b, "Pod name empty", withPod("{\"metadata\":{\"name\":\"\"}}"));
        put(b, "Pod name upper case", withPod("{\"metadata\":{\"name\":\"Web_0\"}}"));
        put(b, "namespace with a dot", withPod("{\"metadata\":{\"name\":\"p\",\"namespace\":\"a.b\"}}"));
        put(b, "namespace a number", withPod("{\"metadata\":{\"name\":\"p\",\"namespace\":7}}"));
        put(b, "spec a string", withPod("{\"metadata\":{\"name\":\"p\"},\"spec\":\"x\"}"));
        put(b, "volumes an object", withVolumes("{}"));
        put(b, "volume a number", withVolumes("[5]"));
        put(b, "volume without name", withVolumes("[{\"persistentVolumeClaim\":{\"claimName\":\"data\"}}]"));
        put(b, "volume name twice", withVolumes("[{\"name\":\"a\"},{\"name\":\"a\"}]"));
        put(b, "persistentVolumeClaim a string", withVolumes("[{\"name\":\"a\",\"persistentVolumeClaim\":\"data\"}]"));
        put(b, "claimName missing", withVolumes("[{\"name\":\"a\",\"persistentVolumeClaim\":{}}]"));
        put(b, "claimName a number", withVolumes("[{\"name\":\"a\",\"persistentVolumeClaim\":{\"claimName\":12}}]"));
        put(b, "claimName a path", withVolumes("[{\"name\":\"a\",\"persistentVolumeClaim\":{\"claimName\":\"../etc/passwd\"}}]"));
        put(b, "ephemeral without template", withVolumes("[{\"name\":\"a\",\"ephemeral\":{}}]"));
        put(b, "ephemeral without size", ephemeral("{\"storageClassName\":\"lvm\"}"));
        put(b, "negative size", ephemeral(size("\"-1Gi\"")));
        put(b, "zero size", ephemeral(size("\"0\"")));
        put(b, "size not a quantity", ephemeral(size("\"lots\"")));
        put(b, "size with a huge exponent", ephemeral(size("\"1e999999999\"")));
        put(b, "size a boolean", ephemeral(size("true")));
        put(b, "size too large", ephemeral(size("\"99999999999999999999Ei\"")));
        put(b, "NodeNames a string", "{\"Pod\":" + GOOD_POD + ",\"NodeNames\":\"n1\"}");
        put(b, "NodeNames an object", "{\"Pod\":" + GOOD_POD + ",\"NodeNames\":{\"a\":1}}");
        put(b, "NodeNames numbers", "{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[1,2]}");
        put(b, "NodeNames with null", "{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[null]}");
        put(b, "empty node name", "{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[\"\"]}");
        put(b, "node name with underscore", "{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[\"Node_1\"]}");
        put(b, "node name of 300 characters", "{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[\"" + "a".repeat(300) + "\"]}");
        put(b, "node name a path", "{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[\"../x\"]}");
        put(b, "node name with NUL", "{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[\"n1\\u0000\"]}");
        put(b, "60,000 node names", hugeNodeNames(60_000));
        put(b, "Nodes a string", "{\"Pod\":" + GOOD_POD + ",\"Nodes\":\"x\"}");
        put(b, "Nodes.items a string", "{\"Pod\":" + GOOD_POD + ",\"Nodes\":{\"items\":\"x\"}}");
        put(b, "Nodes.items numbers", "{\"Pod\":" + GOOD_POD + ",\"Nodes\":{\"items\":[5]}}");
        put(b, "Node without name", "{\"Pod\":" + GOOD_POD + ",\"Nodes\":{\"items\":[{\"metadata\":{}}]}}");
        put(b, "neither NodeNames nor Nodes", "{\"Pod\":" + GOOD_POD + "}");
        put(b, "nesting 200 deep", "{\"Pod\":" + GOOD_POD + ",\"x\":" + "[".repeat(200) + "]".repeat(200)
                + ",\"NodeNames\":[\"n1\"]}");
        put(b, "duplicate Pod key", "{\"Pod\":" + GOOD_POD + ",\"Pod\":" + GOOD_POD + ",\"NodeNames\":[\"n1\"]}");
        put(b, "trailing garbage", good + "xyz");
        put(b, "two documents", good + good);
        put(b, "comments", "/* hi */" + good);
        put(b, "NaN literal", "{\"Pod\":" + GOOD_POD + ",\"x\":NaN,\"NodeNames\":[\"n1\"]}");
        put(b, "single quotes", "{'Pod':{}}");
        put(b, "pod name of 900,000 characters", "{\"Pod\":{\"metadata\":{\"name\":\""
                + "a".repeat(900_000) + "\"}},\"NodeNames\":[\"n1\"]}");
        put(b, "number of 100 digits", "{\"Pod\":" + GOOD_POD + ",\"x\":" + "9".repeat(100) + ",\"NodeNames\":[\"n1\"]}");
        b.put("invalid UTF-8", concat("{\"Pod\":{\"metadata\":{\"name\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, (byte) 0xfe}, "\"}},\"NodeNames\":[\"n1\"]}".getBytes(StandardCharsets.UTF_8)));
        return b;
    }

    @Test
    void everyMalformedOrHostileBodyIsA400WithAMessage() {
        Map<String, byte[]> bodies = bodies();
        assertThat(bodies).hasSizeGreaterThanOrEqualTo(50);
        List<String> wrong = new ArrayList<>();
        for (String path : List.of(SchedulerRoutes.FILTER_PATH, SchedulerRoutes.PRIORITIZE_PATH)) {
            for (Map.Entry<String, byte[]> e : bodies.entrySet()) {
                HttpResponse<String> r = http.postBytes(path, e.getValue());
                if (r.statusCode() != 400 || r.body().isBlank()) {
                    wrong.add(path + " / " + e.getKey() + " -> " + r.statusCode() + " " + r.body());
                }
            }
        }
        assertThat(wrong).as("bodies not answered 400 with a message").isEmpty();
        assertServiceStillWorks();
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThat(filter("{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[1]}")).contains("NodeNames[0] must be a string");
        assertThat(filter(ephemeral(size("\"-1Gi\"")))).contains("requests.storage").contains("must be positive");
        assertThat(filter("{\"Pod\":")).startsWith("malformed JSON");
        assertThat(filter(hugeNodeNames(60_000))).contains("at most 50000");
        assertThat(filter("{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[\"Node_1\"]}")).contains("'Node_1' is not a node name");
    }

    @Test
    void aValidButUnknownNodeIsAFailedNodeNotABadRequest() {
        HttpResponse<String> r = http.post(SchedulerRoutes.FILTER_PATH, args(GOOD_POD, List.of("n1", "no-such-node")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"no-such-node\":\"node no-such-node has no NodeLocalStorage\"");
    }

    /**
     * Only the head is sent, announcing 2 MiB: the answer must come without the body being read. (Sending the
     * body as well races the server's close after its 413 and may end in a reset instead of the answer.)
     */
    @Test
    void aBodyPastTheSizeLimitIsRefusedBeforeItIsRead() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + SchedulerRoutes.FILTER_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (2 << 20) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 413");
        }
        assertServiceStillWorks();
    }

    @Test
    void hostileAllocationRequestsAre400s() {
        for (String path : List.of("/apis/scheduling/Bad_NS/persistentvolumeclaims/data?nodeName=n1",
                "/apis/scheduling/ns/persistentvolumeclaims/UPPER?nodeName=n1",
                "/apis/scheduling/ns/persistentvolumeclaims/data?nodeName=bad%20name",
                "/apis/scheduling/ns/persistentvolumeclaims/data?nodeName=",
                "/apis/scheduling/ns/persistentvolumeclaims/data?nodeName=n1&volumeType=Device",
                "/apis/scheduling/ns/persistentvolumeclaims/data?nodeName=n1&vgName=other")) {
            HttpResponse<String> r = http.post(path, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).isNotBlank();
        }
        assertThat(http.get("/cache?nodeName=..%2F..").statusCode()).isEqualTo(400);
        assertServiceStillWorks();
    }

    private static void assertServiceStillWorks() {
        assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> ok = http.post(SchedulerRoutes.FILTER_PATH, args(GOOD_POD, List.of("n1")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"NodeNames\":[\"n1\"]");
    }

    private static String filter(String body) {
        HttpResponse<String> r = http.post(SchedulerRoutes.FILTER_PATH, body);
        assertThat(r.statusCode()).isEqualTo(400);
        return r.body();
    }

    private static String withPod(String pod) {
        return "{\"Pod\":" + pod + ",\"NodeNames\":[\"n1\"]}";
    }

    private static String withVolumes(String volumes) {
        return withPod("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{\"volumes\":" + volumes + "}}");
    }

    private static String ephemeral(String templateSpec) {
        return withVolumes("[{\"name\":\"scratch\",\"ephemeral\":{\"volumeClaimTemplate\":{\"spec\":" + templateSpec
                + "}}}]");
    }

    private static String size(String quantity) {
        return "{\"storageClassName\":\"lvm\",\"resources\":{\"requests\":{\"storage\":" + quantity + "}}}";
    }

    private static String hugeNodeNames(int count) {
        StringBuilder sb = new StringBuilder("{\"Pod\":" + GOOD_POD + ",\"NodeNames\":[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append("\"n").append(i).append('"');
        }
        return sb.append("]}").toString();
    }

    private static void put(Map<String, byte[]> map, String name, String body) {
        map.put(name, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
