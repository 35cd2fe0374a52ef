package io.openlocal.extender.cluster;

import static io.openlocal.extender.cluster.ApiObjects.GI;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.util.ClientBuilder;
import io.openlocal.extender.ExtenderService;
import io.openlocal.extender.Http;
import io.openlocal.extender.Pods;
import io.openlocal.extender.Readiness;
import io.openlocal.extender.config.ExtenderConfig;
import io.openlocal.extender.wire.Json;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.testinfra.kube.KubeApiEmulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extender's informers (real client-java 24 against the API-server emulator) feed its catalog and ledger:
 * NLS status becomes node capacity, PVCs/classes/pods become claims, kube-scheduler's selected-node annotation
 * becomes a promise, PVs become confirmed allocations, and deletions release them.
 */
class ClusterSyncTest {

    @RegisterExtension
    static final KubeApiEmulator api = new KubeApiEmulator();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ExtenderService service;
    private static Http http;

    @BeforeAll
    static void startExtender() throws Exception {
        for (String n : List.of("n1", "n2")) {
            api.create("/api/v1/nodes", ApiObjects.node(n));
        }
        api.create("/apis/csi.aliyun.com/v1alpha1/nodelocalstorages",
                ApiObjects.nls("n1", 100, "/dev/sdb:200:hdd", "/dev/sdc:500:ssd"));
        api.create("/apis/csi.aliyun.com/v1alpha1/nodelocalstorages", ApiObjects.nls("n2", 50));
        api.create("/apis/storage.k8s.io/v1/storageclasses", ApiObjects.storageClass("open-local-lvm", "LVM", ""));
        api.create("/apis/storage.k8s.io/v1/storageclasses",
                ApiObjects.storageClass("open-local-device-hdd", "Device", ",\"mediaType\":\"hdd\""));
        api.create("/apis/storage.k8s.io/v1/storageclasses", "{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":"
                + "\"StorageClass\",\"metadata\":{\"name\":\"other\"},\"provisioner\":\"ebs.csi.aws.com\"}");
        // Existing state before the extender starts: a provisioned volume and an annotated pending claim.
        api.create("/api/v1/namespaces/apps/persistentvolumeclaims", ApiObjects.pvc("apps", "old", "open-local-lvm", 30));
        api.create("/api/v1/persistentvolumes",
                ApiObjects.pv("pv-old", "apps", "old", "n2", "LVM", "vgName", "vg0", 30 * GI));
        api.request("PATCH", "/api/v1/namespaces/apps/persistentvolumeclaims/old", ApiObjects.boundPatch("pv-old"));
        api.create("/api/v1/namespaces/apps/persistentvolumeclaims",
                ApiObjects.pvc("apps", "placed", "open-local-lvm", 15));
        api.request("PATCH", "/api/v1/namespaces/apps/persistentvolumeclaims/placed", ApiObjects.selectedNodePatch("n2"));

        service = new ExtenderService(ExtenderConfig.defaults().withHost("127.0.0.1").withPort(0), new Readiness());
        http = new Http(service.start());
        assertThat(http.get("/readyz").statusCode()).isEqualTo(503);
        boolean synced = service.connect(new ClientBuilder().setBasePath(api.url()).build(), WAIT);
        assertThat(synced).as("informers synced").isTrue();
    }

    @AfterAll
    static void stopExtender() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void afterTheFirstListingTheLedgerHoldsExistingVolumesAndAnnotatedClaims() {
        assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
        Allocation old = service.ledger().allocation("apps/old");
        assertThat(old.status()).isEqualTo(Allocation.Status.CONFIRMED);
        assertThat(old.nodeName()).isEqualTo("n2");
        assertThat(old.allocatedBytes()).isEqualTo(30 * GI);
        Allocation placed = service.ledger().allocation("apps/placed");
        assertThat(placed.status()).isEqualTo(Allocation.Status.PROMISED);
        assertThat(placed.nodeName()).isEqualTo("n2");
        assertThat(service.ledger().state("n2").usedBytes(false, 0)).isEqualTo(45 * GI);
    }

    @Test
    void nodeLocalStorageStatusDecidesWhatFits() throws Exception {
        api.create("/api/v1/namespaces/t1/persistentvolumeclaims", ApiObjects.pvc("t1", "data", "open-local-lvm", 4));
        Await.until("claim t1/data in the catalog", WAIT, () -> service.catalog().claim("t1/data") != null);
        String args = Pods.args(Pods.pod("t1", "web", "data"), List.of("n1", "n2"));
        assertThat(names(http.post("/scheduler/predicates", args))).containsExactly("n1", "n2");

        // n2 has 5 GiB free (45 of 50 taken); its agent now reports the VG shrank to 40 GiB: nothing fits.
        api.request("PATCH", "/apis/csi.aliyun.com/v1alpha1/nodelocalstorages/n2",
                "{\"status\":" + ApiObjects.nlsStatus(40, "", "") + "}");
        Await.until("n2 capacity update", WAIT, () -> service.ledger().state("n2").capacity().volumeGroups().get(0)
                .capacityBytes() == 40 * GI);
        assertThat(names(http.post("/scheduler/predicates", args))).containsExactly("n1");
        api.request("PATCH", "/apis/csi.aliyun.com/v1alpha1/nodelocalstorages/n2",
                "{\"status\":" + ApiObjects.nlsStatus(50, "", "") + "}");
        Await.until("n2 capacity restored", WAIT, () -> service.ledger().state("n2").capacity().volumeGroups().get(0)
                .capacityBytes() == 50 * GI);
    }

    @Test
    void selectedNodeAnnotationPromisesAndItsRemovalReleases() throws Exception {
        api.create("/api/v1/namespaces/t2/persistentvolumeclaims", ApiObjects.pvc("t2", "a", "open-local-lvm", 20));
        api.create("/api/v1/namespaces/t2/persistentvolumeclaims", ApiObjects.pvc("t2", "b", "open-local-lvm", 20));
        api.create("/api/v1/namespaces/t2/pods", ApiObjects.pod("t2", "web", "a", "b"));
        Await.until("pod t2/web in the catalog", WAIT, () -> service.catalog().podUsing("t2/b") != null
                && service.catalog().claim("t2/a") != null && service.catalog().claim("t2/b") != null);

        api.request("PATCH", "/api/v1/namespaces/t2/persistentvolumeclaims/a", ApiObjects.selectedNodePatch("n1"));
        // The first annotation promises both claims of the pod together on n1.
        Await.until("promise for t2/a and t2/b", WAIT, () -> "n1".equals(service.ledger().ownerOf("t2/a"))
                && "n1".equals(service.ledger().ownerOf("t2/b")));
        assertThat(service.ledger().allocation("t2/b").podKey()).isEqualTo("t2/web");

        // kube-scheduler gives the node up (its PreBind failed): the annotation goes, so does the promise.
        api.request("PATCH", "/api/v1/namespaces/t2/persistentvolumeclaims/a", ApiObjects.selectedNodePatch(null));
        Await.until("t2/a released", WAIT, () -> service.ledger().ownerOf("t2/a") == null);
        // t2/b was never annotated; deleting the pod releases it.
        api.request("DELETE", "/api/v1/namespaces/t2/pods/web", null);
        Await.until("t2/b released", WAIT, () -> service.ledger().ownerOf("t2/b") == null);
    }

    @Test
    void provisionedVolumesAreConfirmedAndTheirDeletionFreesTheSpace() throws Exception {
        api.create("/api/v1/namespaces/t3/persistentvolumeclaims", ApiObjects.pvc("t3", "db", "open-local-lvm", 25));
        Await.until("claim t3/db", WAIT, () -> service.catalog().claim("t3/db") != null);
        HttpResponse<String> allocated = http.post("/apis/scheduling/t3/persistentvolumeclaims/db?nodeName=n1", null);
        assertThat(allocated.statusCode()).as(allocated.body()).isEqualTo(200);
        assertThat(service.ledger().allocation("t3/db").promised()).isTrue();

        api.create("/api/v1/persistentvolumes", ApiObjects.pv("pv-db", "t3", "db", "n1", "LVM", "vgName", "vg0", 25 * GI));
        api.request("PATCH", "/api/v1/namespaces/t3/persistentvolumeclaims/db", ApiObjects.boundPatch("pv-db"));
        Await.until("t3/db confirmed", WAIT, () -> {
            Allocation a = service.ledger().allocation("t3/db");
            return a != null && a.status() == Allocation.Status.CONFIRMED && a.volumeName().equals("pv-db");
        });
        // The PV and the PVC arrive through separate informers: wait until the claim itself is seen bound too.
        Await.until("t3/db bound in the catalog", WAIT, () -> service.catalog().claim("t3/db").bound());
        // A bound claim passes through the filter untouched.
        JsonNode body = Json.mapper().readTree(http.post("/scheduler/predicates",
                Pods.args(Pods.pod("t3", "web", "db"), List.of("n1", "n2"))).body());
        assertThat(body.get("NodeNames")).hasSize(2);

        api.request("DELETE", "/api/v1/persistentvolumes/pv-db", null);
        Await.until("t3/db released", WAIT, () -> service.ledger().allocation("t3/db") == null);
    }

    @Test
    void aDeviceVolumeHoldsItsDeviceAndForeignClassesAreIgnored() throws Exception {
        api.create("/api/v1/namespaces/t4/persistentvolumeclaims",
                ApiObjects.pvc("t4", "raw", "open-local-device-hdd", 150));
        api.create("/api/v1/namespaces/t4/persistentvolumeclaims", ApiObjects.pvc("t4", "ebs", "other", 150));
        Await.until("t4 claims", WAIT, () -> service.catalog().claim("t4/raw") != null
                && service.catalog().claim("t4/ebs") != null);
        api.create("/api/v1/persistentvolumes",
                ApiObjects.pv("pv-raw", "t4", "raw", "n1", "Device", "Device", "/dev/sdb", 200 * GI));
        Await.until("device held", WAIT, () -> service.ledger().allocation("t4/raw") != null);
        assertThat(service.ledger().state("n1").diskHolder(false, 0)).isEqualTo("t4/raw");
        JsonNode filter = Json.mapper().readTree(http.post("/scheduler/predicates",
                Pods.args(Pods.pod("t4", "other-pod", "ebs"), List.of("n1", "n2"))).body());
        assertThat(filter.get("NodeNames")).hasSize(2);
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("local_device_bind{nodename=\"n1\",name=\"/dev/sdb\"} 1");
    }

    /** No Node informer: a node that left is forgotten once its NLS is gone and its last volume released. */
    @Test
    void aNodeThatLeftIsForgottenOnceItsNlsAndItsLastVolumeAreGone() throws Exception {
        api.create("/api/v1/nodes", ApiObjects.node("n3"));
        api.create("/apis/csi.aliyun.com/v1alpha1/nodelocalstorages", ApiObjects.nls("n3", 20));
        api.create("/api/v1/persistentvolumes",
                ApiObjects.pv("pv-n3", "t5", "data", "n3", "LVM", "vgName", "vg0", 5 * GI));
        Await.until("n3 known with its volume", WAIT, () -> service.ledger().state("n3") != null
                && service.ledger().state("n3").hasCapacity() && service.ledger().allocation("t5/data") != null);

        // The node leaves: the controller deletes its NLS; its volume's PV outlives it for a while.
        api.request("DELETE", "/api/v1/nodes/n3", null);
        api.request("DELETE", "/apis/csi.aliyun.com/v1alpha1/nodelocalstorages/n3", null);
        Await.until("n3 without capacity", WAIT, () -> !service.ledger().state("n3").hasCapacity());
        assertThat(service.ledger().allocation("t5/data").nodeName()).isEqualTo("n3");

        api.request("DELETE", "/api/v1/persistentvolumes/pv-n3", null);
        Await.until("n3 forgotten", WAIT, () -> service.ledger().state("n3") == null);
        assertThat(service.ledger().state("n1")).isNotNull(); // nodes with an NLS stay, volumes or not
    }

    private static List<String> names(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode names = Json.mapper().readTree(response.body()).get("NodeNames");
        return java.util.stream.StreamSupport.stream(names.spliterator(), false).map(JsonNode::asText).toList();
    }
}
