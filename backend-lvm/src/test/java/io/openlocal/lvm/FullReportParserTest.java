package io.openlocal.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.Capacity;
import io.openlocal.backend.volume.Snapshot;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeUsage;
import io.openlocal.lvm.capacity.PoolCapacity;
import io.openlocal.lvm.report.FullReport;
import io.openlocal.lvm.report.FullReportParser;
import io.openlocal.lvm.report.LvKind;
import io.openlocal.lvm.report.LvReport;
import io.openlocal.lvm.report.VgReport;
import io.openlocal.lvm.volume.Ownership;
import io.openlocal.lvm.volume.VolumeViews;
import org.junit.jupiter.api.Test;

/**
 * Parses a fullreport fixture with a thin pool (and its hidden data, metadata and spare LVs), thin volumes, a
 * thin snapshot, a copy-on-write snapshot, a striped LV, an untagged Open-Local LV, a foreign LV and an orphan
 * PV. Field names and value shapes are lvm2's (report.c, lv_manip.c lv_layout_and_role): roles and layouts as
 * comma lists, hidden LVs in brackets, sizes as byte strings.
 */
class FullReportParserTest {

    private static final long MiB = 1024 * 1024;
    private final FullReport report = FullReportParser.parse(HostLvm.resource("thin-and-snapshots.json"));
    private final VgReport vg = report.vg("vgfix").orElseThrow();
    private final Ownership ownership = new Ownership("local", true);

    @Test
    void volumeGroupFiguresAndPhysicalVolumesAreRead() {
        assertThat(vg.sizeBytes()).isEqualTo(510 * 4 * MiB);
        assertThat(vg.freeBytes()).isEqualTo(412 * 4 * MiB);
        assertThat(vg.extentSizeBytes()).isEqualTo(4 * MiB);
        assertThat(vg.pvCount()).isEqualTo(2);
        assertThat(vg.pvs()).extracting(pv -> pv.device()).containsExactly("/dev/sdb", "/dev/sdc");
        assertThat(report.orphanPvs()).singleElement().satisfies(pv -> {
            assertThat(pv.device()).isEqualTo("/dev/sdd");
            assertThat(pv.orphan()).isTrue();
        });
    }

    @Test
    void kindsFollowLayoutAndRole() {
        assertThat(kind("local-lin")).isEqualTo(LvKind.LINEAR);
        assertThat(kind("local-cow")).isEqualTo(LvKind.SNAPSHOT);
        assertThat(kind("local-pool")).isEqualTo(LvKind.THIN_POOL);
        assertThat(kind("local-thin")).isEqualTo(LvKind.THIN);
        assertThat(kind("local-thinsnap")).isEqualTo(LvKind.THIN_SNAPSHOT);
        assertThat(kind("local-str")).isEqualTo(LvKind.STRIPED);
        assertThat(kind("root")).isEqualTo(LvKind.LINEAR);
    }

    @Test
    void hiddenComponentLvsAreUnbracketedAndNotVisible() {
        assertThat(vg.lvs()).hasSize(11);
        assertThat(vg.visibleLvs()).extracting(LvReport::name).doesNotContain("local-pool_tdata",
                "local-pool_tmeta", "lvol0_pmspare").hasSize(8);
        LvReport tdata = vg.lvs().stream().filter(lv -> lv.name().equals("local-pool_tdata")).findFirst().orElseThrow();
        assertThat(tdata.hidden()).isTrue();
        assertThat(tdata.parent()).isEqualTo("local-pool");
        assertThat(tdata.allocatedExtents()).isEqualTo(50);
        assertThat(vg.lv("local-pool_tdata")).isEmpty();
    }

    @Test
    void thinVolumesPointAtTheirPoolAndHoldNoExtents() {
        LvReport thin = lv("local-thin");
        assertThat(thin.poolLv()).isEqualTo("local-pool");
        assertThat(thin.sizeBytes()).isEqualTo(300 * MiB);
        assertThat(thin.allocatedExtents()).isZero();
        assertThat(thin.dataPercent()).hasValue(5.0);
        assertThat(vg.thinVolumesOf("local-pool")).extracting(LvReport::name)
                .containsExactlyInAnyOrder("local-thin", "local-thinsnap");
    }

    @Test
    void stripedSegmentsCarryStripeCountAndSize() {
        LvReport striped = lv("local-str");
        assertThat(striped.stripes()).isEqualTo(2);
        assertThat(striped.stripeSizeBytes()).isEqualTo(64 * 1024);
        assertThat(striped.allocatedExtents()).isEqualTo(4);
    }

    @Test
    void snapshotsReportTheirOriginAndCapturedSize() {
        VolumeViews views = new VolumeViews(ownership, true);
        Snapshot cow = views.snapshot("vgfix", lv("local-cow"));
        assertThat(cow.source().name()).isEqualTo("local-lin");
        assertThat(cow.sizeBytes()).isEqualTo(100 * MiB);
        assertThat(cow.readyToUse()).isTrue();
        assertThat(cow.createdEpochMillis()).isEqualTo(java.time.Instant.parse("2026-11-20T10:15:30Z").toEpochMilli());
        Snapshot thin = views.snapshot("vgfix", lv("local-thinsnap"));
        assertThat(thin.source().name()).isEqualTo("local-thin");
        assertThat(thin.sizeBytes()).isEqualTo(300 * MiB);
        assertThat(vg.snapshotsOf("local-lin")).extracting(LvReport::name).containsExactly("local-cow");
    }

    @Test
    void allocatableSubtractsOnlyForeignExtents() {
        // Only "root" (10 extents) is foreign; the untagged local-... LV is adopted; the pool spare is ours
        // because we own a thin pool.
        Capacity capacity = PoolCapacity.of(vg, ownership);
        assertThat(capacity.totalBytes()).isEqualTo(vg.sizeBytes());
        assertThat(capacity.availableBytes()).isEqualTo(vg.freeBytes());
        assertThat(capacity.allocatableBytes()).isEqualTo(vg.sizeBytes() - 10 * 4 * MiB);
    }

    @Test
    void untaggedPrefixedLvsAreForeignWhenAdoptionIsOff() {
        Ownership strict = new Ownership("local", false);
        assertThat(strict.owns(lv("local-5f0c2a7e-0c1d-4f0e-9a51-3b1d7c2e9a10"))).isFalse();
        assertThat(strict.owns(lv("local-lin"))).isTrue();
        assertThat(PoolCapacity.of(vg, strict).allocatableBytes()).isEqualTo(vg.sizeBytes() - 12 * 4 * MiB);
    }

    @Test
    void volumesShowDevicePathOnlyWhenActiveWithDeviceMapper() {
        Volume active = new VolumeViews(ownership, true).volume("vgfix", lv("local-lin"));
        assertThat(active.devicePath()).hasValue("/dev/vgfix/local-lin");
        assertThat(active.owned()).isTrue();
        assertThat(new VolumeViews(ownership, true).volume("vgfix", lv("local-thinsnap")).devicePath()).isEmpty();
        assertThat(new VolumeViews(ownership, false).volume("vgfix", lv("local-lin")).devicePath()).isEmpty();
        Volume foreign = new VolumeViews(ownership, true).volume("vgfix", lv("root"));
        assertThat(foreign.owned()).isFalse();
        assertThat(active.attributes()).containsEntry("lvType", "linear");
        assertThat(new VolumeViews(ownership, true).volume("vgfix", lv("local-thin")).attributes())
                .containsEntry("lvType", "thin").containsEntry("thinPool", "local-pool");
    }

    @Test
    void usageOfThinVolumesFollowsDataPercent() {
        VolumeViews views = new VolumeViews(ownership, true);
        VolumeUsage thin = views.usage(lv("local-thin"), vg.extentSizeBytes());
        assertThat(thin.allocatedBytes()).isEqualTo(15 * MiB);
        assertThat(views.usage(lv("local-lin"), vg.extentSizeBytes()).allocatedBytes()).isEqualTo(100 * MiB);
    }

    @Test
    void malformedSizesAreInternalErrorsNamingTheField() {
        String broken = HostLvm.resource("thin-and-snapshots.json").replace("\"vg_size\":\"2139095040\"",
                "\"vg_size\":\"2.00g\"");
        assertThatThrownBy(() -> FullReportParser.parse(broken)).isInstanceOf(StorageException.Internal.class)
                .hasMessageContaining("vg_size of VG vgfix");
        assertThatThrownBy(() -> FullReportParser.parse("not json")).isInstanceOf(StorageException.Internal.class);
        assertThatThrownBy(() -> FullReportParser.parse("{}")).isInstanceOf(StorageException.Internal.class);
    }

    @Test
    void emptyReportHasNoGroups() {
        FullReport empty = FullReportParser.parse("{\"report\": []}");
        assertThat(empty.vgs()).isEmpty();
        assertThat(empty.orphanPvs()).isEmpty();
    }

    private LvReport lv(String name) {
        return vg.lv(name).orElseThrow();
    }

    private LvKind kind(String name) {
        return lv(name).kind();
    }
}
