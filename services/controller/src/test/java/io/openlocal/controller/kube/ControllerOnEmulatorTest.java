package io.openlocal.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.openlocal.controller.ControllerConfig;
import io.openlocal.controller.ControllerDaemon;
import io.openlocal.controller.ControllerHandle;
import io.openlocal.kube.client.KubeClients;
import io.openlocal.kube.crd.Crds;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The controller against the API-server emulator with client-java's real informers, work queue and
 * LeaderElector (Lease lock).
 *
 * <p>What the emulator does not do: it does not validate objects against the CRD schemas (the schema test
 * does that part); it ignores field selectors on Events; it applies no finalizers or garbage collection, so a
 * delete is immediate; a PUT of a whole object overwrites its status (which is why the controller only ever
 * patches {@code /spec}, and {@link #specUpdateLeavesTheAgentsStatusAlone} checks that); it refuses a create
 * whose body has no {@code kind}, which client-java's LeaseLock sends (see the leader test).
 */
class ControllerOnEmulatorTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    private static final String NLS = "/apis/csi.aliyun.com/v1alpha1/nodelocalstorages";
    private static final String NLSC = "/apis/csi.aliyun.com/v1alpha1/nodelocalstorageinitconfigs";
    private static final String NODES = "/api/v1/nodes";
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<ControllerHandle> controllers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        controllers.forEach(ControllerHandle::close);
        for (String collection : List.of(NLS, NLSC, NODES, LEASES, "/api/v1/namespaces/default/events")) {
            for (JsonObject item : items(collection)) {
                String name = item.getAsJsonObject("metadata").get("name").getAsString();
                api.request("DELETE", collection + "/" + name, null);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static ControllerConfig config(boolean updateNls, boolean election, String identity) {
        return new ControllerConfig("open-local", updateNls, 2, Duration.ZERO, Optional.of(api.url()),
                Optional.empty(), election, "kube-system", "open-local-controller", identity, Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofSeconds(1), "127.0.0.1", 0);
    }

    private ControllerHandle start(ControllerConfig config) throws Exception {
        ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
        ControllerHandle handle = ControllerDaemon.start(config, client);
        controllers.add(handle);
        return handle;
    }

    private static List<JsonObject> items(String collection) {
        JsonArray items = JsonParser.parseString(api.request("GET", collection, null).body()).getAsJsonObject()
                .getAsJsonArray("items");
        return items == null ? List.of()
                : StreamSupport.stream(items.spliterator(), false).map(e -> e.getAsJsonObject()).toList();
    }

    private static void node(String name, String labelsJson) {
        api.create(NODES, "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":" + labelsJson + "}}");
    }

    private static void nlsc(String specJson) {
        api.create(NLSC, "{\"apiVersion\":\"csi.aliyun.com/v1alpha1\",\"kind\":\"NodeLocalStorageInitConfig\","
                + "\"metadata\":{\"name\":\"open-local\"},\"spec\":" + specJson + "}");
    }

    /** Replaces the NLSC's spec in one write (a PUT of the object read just before, as kubectl replace does). */
    private static void replaceNlscSpec(String specJson) {
        JsonObject current = JsonParser.parseString(api.request("GET", NLSC + "/open-local", null).body())
                .getAsJsonObject();
        current.add("spec", JsonParser.parseString(specJson));
        var r = api.request("PUT", NLSC + "/open-local", current.toString());
        assertThat(r.statusCode() / 100).as(r.body()).isEqualTo(2);
    }

    private static Optional<NodeLocalStorage> nls(String name) throws Exception {
        ApiClient client = KubeClients.create(Optional.of(api.url()), Optional.empty());
        var r = Crds.nodeLocalStorages(client).get(name);
        return r.getHttpStatusCode() == 404 ? Optional.empty() : Optional.of(r.throwsApiException().getObject());
    }

    private static List<String> vgIncludes(String name) throws Exception {
        var spec = nls(name).orElseThrow().getSpec();
        return spec.listConfig() == null || spec.listConfig().vgs() == null ? List.of()
                : spec.listConfig().vgs().include();
    }

    private static String metrics(ControllerHandle handle) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + handle.port()
                + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<JsonObject> events(String involvedName) {
        // Emulator gap: it ignores the involvedObject.name field selector, so filter here.
        return items("/api/v1/namespaces/default/events").stream()
                .filter(e -> e.getAsJsonObject("involvedObject").get("name").getAsString().equals(involvedName))
                .toList();
    }

    private static final String GLOBAL_AND_SSD = """
            {"globalConfig":{"listConfig":{"vgs":{"include":["open-local-pool-[0-9]+"]}},
                             "resourceToBeInited":{"vgs":[{"name":"open-local-pool-0","devices":["/dev/vdb"]}]}},
             "nodesConfig":[{"selector":{"matchLabels":{"disk":"ssd"}},
                             "listConfig":{"vgs":{"include":["fast"]}}}]}""";

    // ---- behaviour --------------------------------------------------------------------------------------------

    @Test
    void nodesGetNlsFromTheNlscWithOverridesAndLoseItWhenDeleted() throws Exception {
        nlsc(GLOBAL_AND_SSD);
        node("n1", "{}");
        start(config(true, false, "c1"));
        await().atMost(WAIT).until(() -> nls("n1").isPresent());
        assertThat(vgIncludes("n1")).containsExactly("open-local-pool-[0-9]+");
        assertThat(nls("n1").get().getSpec().nodeName()).isEqualTo("n1");
        assertThat(nls("n1").get().getSpec().resourceToBeInited().vgs()).hasSize(1);

        node("n2", "{\"disk\":\"ssd\"}");
        await().atMost(WAIT).until(() -> nls("n2").isPresent());
        assertThat(vgIncludes("n2")).containsExactly("fast");
        assertThat(nls("n2").get().getSpec().resourceToBeInited()).isNull();

        api.request("DELETE", NODES + "/n2", null);
        await().atMost(WAIT).until(() -> nls("n2").isEmpty());
        assertThat(nls("n1")).isPresent();
    }

    @Test
    void withoutAnNlscNothingIsCreatedAndItsArrivalCreatesEveryNls() throws Exception {
        node("n1", "{}");
        node("n2", "{\"disk\":\"ssd\"}");
        ControllerHandle c = start(config(true, false, "c1"));
        await().atMost(WAIT).until(c::leading);
        Thread.sleep(1000);
        assertThat(nls("n1")).isEmpty();
        assertThat(c.writes()).isZero();

        nlsc(GLOBAL_AND_SSD);
        await().atMost(WAIT).until(() -> nls("n1").isPresent() && nls("n2").isPresent());
        assertThat(vgIncludes("n1")).containsExactly("open-local-pool-[0-9]+");
        assertThat(vgIncludes("n2")).containsExactly("fast");
    }

    @Test
    void nlscUpdateReachesEveryNlsAndDeletedOrEditedNlsIsPutBack() throws Exception {
        nlsc(GLOBAL_AND_SSD);
        node("n1", "{}");
        node("n2", "{\"disk\":\"ssd\"}");
        start(config(true, false, "c1"));
        await().atMost(WAIT).until(() -> nls("n1").isPresent() && nls("n2").isPresent());

        replaceNlscSpec("""
                {"globalConfig":{"listConfig":{"vgs":{"include":["pool-b"]}}},
                 "nodesConfig":[{"selector":{"matchLabels":{"disk":"ssd"}},"listConfig":{"vgs":{"include":["fast-b"]}}}]}""");
        await().atMost(WAIT).until(() -> vgIncludes("n1").equals(List.of("pool-b"))
                && vgIncludes("n2").equals(List.of("fast-b")));
        assertThat(nls("n1").get().getSpec().resourceToBeInited()).isNull();

        api.request("DELETE", NLS + "/n1", null);
        await().atMost(WAIT).until(() -> nls("n1").isPresent());
        assertThat(vgIncludes("n1")).containsExactly("pool-b");

        var edit = api.request("PATCH", NLS + "/n2", "{\"spec\":{\"listConfig\":{\"vgs\":{\"include\":[\"mine\"]}}}}");
        assertThat(edit.statusCode() / 100).isEqualTo(2);
        await().atMost(WAIT).until(() -> vgIncludes("n2").equals(List.of("fast-b")));

        api.request("PATCH", NODES + "/n1", "{\"metadata\":{\"labels\":{\"disk\":\"ssd\"}}}");
        await().atMost(WAIT).until(() -> vgIncludes("n1").equals(List.of("fast-b")));
    }

    @Test
    void withUpdatesOffExistingNlsAreLeftButMissingOnesAreStillCreated() throws Exception {
        nlsc(GLOBAL_AND_SSD);
        node("n1", "{}");
        ControllerHandle c = start(config(false, false, "c1"));
        await().atMost(WAIT).until(() -> nls("n1").isPresent());
        replaceNlscSpec("{\"globalConfig\":{\"listConfig\":{\"vgs\":{\"include\":[\"pool-b\"]}}}}");
        node("n3", "{}");
        await().atMost(WAIT).until(() -> nls("n3").isPresent());
        assertThat(vgIncludes("n3")).containsExactly("pool-b");
        assertThat(vgIncludes("n1")).containsExactly("open-local-pool-[0-9]+");
        assertThat(c.writes()).isEqualTo(2);
    }

    @Test
    void specUpdateLeavesTheAgentsStatusAlone() throws Exception {
        nlsc(GLOBAL_AND_SSD);
        node("n1", "{}");
        start(config(true, false, "c1"));
        await().atMost(WAIT).until(() -> nls("n1").isPresent());
        var status = api.request("PUT", NLS + "/n1/status", "{\"apiVersion\":\"csi.aliyun.com/v1alpha1\","
                + "\"kind\":\"NodeLocalStorage\",\"metadata\":{\"name\":\"n1\"},\"status\":{\"summary\":"
                + "{\"volumeGroups\":1,\"free\":\"5Gi\",\"freeDevices\":0}}}");
        assertThat(status.statusCode() / 100).as(status.body()).isEqualTo(2);
        replaceNlscSpec("{\"globalConfig\":{\"listConfig\":{\"vgs\":{\"include\":[\"pool-c\"]}}}}");
        await().atMost(WAIT).until(() -> vgIncludes("n1").equals(List.of("pool-c")));
        assertThat(nls("n1").get().getStatus().summary().free()).isEqualTo("5Gi");
    }

    @Test
    void invalidNlscChangesNothingAndSaysWhyOnce() throws Exception {
        nlsc(GLOBAL_AND_SSD);
        node("n1", "{}");
        ControllerHandle c = start(config(true, false, "c1"));
        await().atMost(WAIT).until(() -> nls("n1").isPresent());
        String version = nls("n1").get().getMetadata().getResourceVersion();

        replaceNlscSpec("""
                {"globalConfig":{"listConfig":{"vgs":{"include":["pool-[0-9"]}},
                 "resourceToBeInited":{"vgs":[{"name":"p","devices":["/dev/sdb"]},{"name":"p","devices":["/dev/sdc"]}],
                   "lvstores":[{"name":"l","device":"/dev/sdd","clusterSize":"-4Mi"}]}},
                 "nodesConfig":[{"selector":{"matchExpressions":[{"key":"disk","operator":"Within","values":["a"]}]},
                   "resourceToBeInited":{"vgs":[{"name":"q","devices":["sde"]}]}}]}""");
        await().atMost(WAIT).until(() -> !events("open-local").isEmpty());
        // The node joins once the controller has seen the invalid config (before that, its informer may still
        // hold the valid one, and a node joining then rightly gets a NodeLocalStorage from it).
        node("n2", "{}");
        JsonObject event = events("open-local").getFirst();
        assertThat(event.get("type").getAsString()).isEqualTo("Warning");
        assertThat(event.get("reason").getAsString()).isEqualTo("InvalidInitConfig");
        assertThat(event.get("message").getAsString()).contains(
                "spec.globalConfig.listConfig.vgs.include[0]: 'pool-[0-9' is not a valid regular expression",
                "spec.globalConfig.resourceToBeInited.vgs[1].name: duplicate VG name 'p'",
                "spec.globalConfig.resourceToBeInited.lvstores[0].clusterSize: must be a positive quantity",
                "spec.nodesConfig[0].selector.matchExpressions[0].operator",
                "spec.nodesConfig[0].resourceToBeInited.vgs[0].devices[0]: 'sde' is not a device path");
        Thread.sleep(1500); // let every queued key be looked at
        assertThat(nls("n2")).isEmpty();
        assertThat(nls("n1").get().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(events("open-local")).hasSize(1);
        long writes = c.writes();

        replaceNlscSpec("{\"globalConfig\":{\"listConfig\":{\"vgs\":{\"include\":[\"pool-[0-9]\"]}}}}");
        await().atMost(WAIT).until(() -> nls("n2").isPresent() && vgIncludes("n1").equals(List.of("pool-[0-9]")));
        assertThat(c.writes()).isEqualTo(writes + 2);
    }

    @Test
    void restartChangesNothingThatWasRight() throws Exception {
        nlsc(GLOBAL_AND_SSD);
        node("n1", "{}");
        node("n2", "{\"disk\":\"ssd\"}");
        ControllerHandle first = start(config(true, false, "c1"));
        await().atMost(WAIT).until(() -> nls("n1").isPresent() && nls("n2").isPresent());
        String v1 = nls("n1").get().getMetadata().getResourceVersion();
        String v2 = nls("n2").get().getMetadata().getResourceVersion();
        first.close();
        controllers.remove(first);

        ControllerHandle second = start(config(true, false, "c2"));
        node("n3", "{}"); // proves the second instance is working before the check below
        await().atMost(WAIT).until(() -> nls("n3").isPresent());
        assertThat(second.writes()).isEqualTo(1);
        assertThat(nls("n1").get().getMetadata().getResourceVersion()).isEqualTo(v1);
        assertThat(nls("n2").get().getMetadata().getResourceVersion()).isEqualTo(v2);
    }

    @Test
    void nlsOfANodeDeletedWhileNoControllerRanIsRemovedAtStart() throws Exception {
        nlsc(GLOBAL_AND_SSD);
        api.create(NLS, "{\"apiVersion\":\"csi.aliyun.com/v1alpha1\",\"kind\":\"NodeLocalStorage\","
                + "\"metadata\":{\"name\":\"gone\"},\"spec\":{\"nodeName\":\"gone\"}}");
        start(config(true, false, "c1"));
        await().atMost(WAIT).until(() -> nls("gone").isEmpty());
    }

    @Test
    void twoInstancesOneLeaderActsAndTheOtherTakesOverWhenItStops() throws Exception {
        nlsc(GLOBAL_AND_SSD);
        node("n1", "{}");
        // Emulator gap: it refuses objects without "kind", and client-java's LeaseLock creates the Lease without
        // one (a real API server takes the kind from the URL). So the Lease exists here before the election,
        // empty, as it is after a holder gave it up; LeaderElector then takes it with an update.
        api.create(LEASES, """
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
                 "metadata":{"name":"open-local-controller","namespace":"kube-system"},"spec":{"leaseTransitions":0,"leaseDurationSeconds":3}}""");
        ControllerHandle a = start(config(true, true, "instance-a"));
        ControllerHandle b = start(config(true, true, "instance-b"));
        await().atMost(WAIT).until(() -> a.leading() || b.leading());
        await().atMost(WAIT).until(() -> nls("n1").isPresent());
        Thread.sleep(2500); // more than a retry period: a second leader would show by now
        assertThat(a.leading() && b.leading()).isFalse();
        ControllerHandle leader = a.leading() ? a : b;
        ControllerHandle standby = leader == a ? b : a;
        assertThat(standby.writes()).isZero();
        assertThat(metrics(leader)).contains("openlocal_controller_leader 1.0");
        assertThat(metrics(standby)).contains("openlocal_controller_leader 0.0");
        assertThat(leader.writes()).isEqualTo(1);
        JsonObject lease = JsonParser.parseString(api.request("GET", LEASES + "/open-local-controller", null).body())
                .getAsJsonObject();
        assertThat(lease.getAsJsonObject("spec").get("holderIdentity").getAsString())
                .isEqualTo(leader == a ? "instance-a" : "instance-b");

        leader.close();
        controllers.remove(leader);
        await().atMost(WAIT).until(standby::leading);
        node("n4", "{}");
        await().atMost(WAIT).until(() -> nls("n4").isPresent());
        assertThat(standby.writes()).isEqualTo(1); // only n4: n1 was right and was left alone
    }
}
