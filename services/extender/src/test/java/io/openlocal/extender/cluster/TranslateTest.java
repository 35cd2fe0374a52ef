package io.openlocal.extender.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.kube.crd.NodeLocalStorage;
import io.openlocal.scheduling.catalog.ClaimRecord;
import io.openlocal.scheduling.claim.VolumeKind;
import io.openlocal.scheduling.ledger.Allocation;
import io.openlocal.scheduling.node.ExclusiveDisk;
import io.openlocal.scheduling.node.NodeCapacity;
import io.openlocal.scheduling.node.SharedPool;
import org.junit.jupiter.api.Test;

/** Kubernetes objects (decoded by client-java's own codec) into the scheduling records. */
class TranslateTest {

    private static final JSON CODEC = new JSON();

    @Test
    void nodeLocalStorageOffersOnlyFilteredHealthyWritableStorage() {
        NodeLocalStorage nls = CODEC.deserialize("""
                {"apiVersion":"csi.aliyun.com/v1alpha1","kind":"NodeLocalStorage","metadata":{"name":"n1"},
                 "status":{"nodeStorageInfo":{
                   "deviceInfo":[{"name":"/dev/sdb","mediaType":"hdd","readOnly":false,"total":100,"condition":"DiskReady"},
                                 {"name":"/dev/sdc","mediaType":"ssd","readOnly":true,"total":200,"condition":"DiskReady"},
                                 {"name":"/dev/sdd","mediaType":"ssd","readOnly":false,"total":300,"condition":"DiskFault"},
                                 {"name":"/dev/sde","mediaType":"ssd","readOnly":false,"total":400,"condition":"DiskReady"},
                                 {"name":"/dev/sdf","mediaType":"nvme","total":500}],
                   "volumeGroups":[{"name":"vg0","physicalVolumes":[],"total":1000,"available":900,"allocatable":800},
                                   {"name":"other","physicalVolumes":[],"total":5,"available":5,"allocatable":5}],
                   "mountPoints":[{"name":"/mnt/a","total":50,"available":50,"fsType":"ext4","readOnly":false,"device":"/dev/sde"},
                                  {"name":"/mnt/b","total":60,"available":60,"fsType":"btrfs","readOnly":false},
                                  {"name":"/mnt/c","total":70,"available":70,"fsType":"xfs","readOnly":true}],
                   "spdkStores":[{"name":"lvs0","total":4096,"available":4096,"clusterSize":1024}]},
                  "filteredStorageInfo":{"volumeGroups":["vg0","vg0","missing"],
                    "devices":["/dev/sdb","/dev/sdc","/dev/sdd","/dev/sdf"],
                    "mountPoints":["/mnt/a","/mnt/b","/mnt/c"],"spdkStores":["lvs0"]}}}
                """, NodeLocalStorage.class);
        NodeCapacity c = Translate.nodeCapacity(nls);
        assertThat(c.volumeGroups()).containsExactly(new SharedPool("vg0", 800));
        assertThat(c.devices()).containsExactly(new ExclusiveDisk("/dev/sdb", 100, MediaType.HDD),
                new ExclusiveDisk("/dev/sdf", 500, MediaType.UNKNOWN));
        assertThat(c.mountPoints()).containsExactly(new ExclusiveDisk("/mnt/a", 50, MediaType.SSD));
        assertThat(c.spdkStores()).containsExactly(new SharedPool("lvs0", 4096, 1024));
    }

    @Test
    void aNodeLocalStorageWithoutStatusOffersNothingYet() {
        NodeLocalStorage nls = CODEC.deserialize("{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"nodeName\":\"n1\"}}",
                NodeLocalStorage.class);
        assertThat(Translate.nodeCapacity(nls)).isNull();
    }

    @Test
    void claimsCarryClassSizeBindingAndSelectedNode() {
        V1PersistentVolumeClaim pvc = CODEC.deserialize("""
                {"metadata":{"name":"data","namespace":"ns","annotations":{"volume.kubernetes.io/selected-node":"n1"}},
                 "spec":{"storageClassName":"open-local-lvm","resources":{"requests":{"storage":"1.5Gi"}}},
                 "status":{"phase":"Pending"}}
                """, V1PersistentVolumeClaim.class);
        assertThat(Translate.claim(pvc)).isEqualTo(new ClaimRecord("ns/data", "open-local-lvm", 3L << 29, false, "n1"));
        pvc.getSpec().setVolumeName("pv-1");
        assertThat(Translate.claim(pvc).bound()).isTrue();
    }

    @Test
    void openLocalVolumesBecomeConfirmedAllocations() {
        Allocation lvm = Translate.volume(pv("LVM", "\"vgName\":\"vg0\"", "", "Bound"));
        assertThat(lvm).isEqualTo(new Allocation("ns/data", "", "n1", VolumeKind.LVM, "vg0", 10L << 30, 10L << 30,
                Allocation.Status.CONFIRMED, "pv-1", 0));
        Allocation device = Translate.volume(pv("Device", "\"Device\":\"/dev/sdb\"", "", "Bound"));
        assertThat(device.poolName()).isEqualTo("/dev/sdb");
        Allocation mount = Translate.volume(pv("MountPoint", "\"MountPoint\":\"/mnt/a\"", "", "Released"));
        assertThat(mount.poolName()).isEqualTo("/mnt/a");
        Allocation annotated = Translate.volume(pv("LVM", "\"vgName\":\"vg0\"",
                ",\"annotations\":{\"csi.aliyun.com/pv-allocated\":\"{\\\"vgName\\\":\\\"vg9\\\"}\"}", "Bound"));
        assertThat(annotated.poolName()).isEqualTo("vg9");
    }

    @Test
    void volumesThatAreNotOursOrSayNothingUsableAreIgnored() {
        assertThat(Translate.volume(pv("LVM", "\"vgName\":\"vg0\"", "", "Pending"))).isNull();
        assertThat(Translate.volume(pv("Quota", "\"vgName\":\"vg0\"", "", "Bound"))).isNull();
        assertThat(Translate.volume(pv("LVM", "\"other\":\"x\"", "", "Bound"))).isNull();
        V1PersistentVolume foreign = pv("LVM", "\"vgName\":\"vg0\"", "", "Bound");
        foreign.getSpec().getCsi().setDriver("ebs.csi.aws.com");
        assertThat(Translate.volume(foreign)).isNull();
        V1PersistentVolume unbound = pv("LVM", "\"vgName\":\"vg0\"", "", "Available");
        unbound.getSpec().setClaimRef(null);
        assertThat(Translate.volume(unbound).claimKey()).isEqualTo("volume:pv-1");
    }

    private static V1PersistentVolume pv(String type, String attribute, String annotations, String phase) {
        return CODEC.deserialize("""
                {"metadata":{"name":"pv-1"%s},
                 "spec":{"capacity":{"storage":"10Gi"},"claimRef":{"namespace":"ns","name":"data"},
                   "csi":{"driver":"local.csi.aliyun.com","volumeHandle":"pv-1",
                          "volumeAttributes":{"volumeType":"%s",%s}},
                   "nodeAffinity":{"required":{"nodeSelectorTerms":[{"matchExpressions":[
                     {"key":"kubernetes.io/hostname","operator":"In","values":["n1"]}]}]}}},
                 "status":{"phase":"%s"}}
                """.formatted(annotations, type, attribute, phase), V1PersistentVolume.class);
    }
}
