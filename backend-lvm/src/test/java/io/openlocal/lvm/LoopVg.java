package io.openlocal.lvm;

import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolSpec;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.testinfra.loop.LoopDevice;
import io.openlocal.testinfra.loop.LoopDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A VG made by the backend under test on fresh loop devices, removed again on close (vgremove -ff, PV labels
 * wiped) before the loop harness detaches the devices.
 */
final class LoopVg implements AutoCloseable {

    static final long LOOP_BYTES = 64L * 1024 * 1024;

    final String name;
    final List<String> devices;
    final PoolInfo pool;

    private LoopVg(String name, List<String> devices, PoolInfo pool) {
        this.name = name;
        this.devices = devices;
        this.pool = pool;
    }

    static LoopVg create(LoopDevices loops, LvmBackend backend, int deviceCount) {
        String name = HostLvm.uniqueVgName();
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < deviceCount; i++) {
            LoopDevice loop = loops.create(LOOP_BYTES);
            devices.add(loop.path());
        }
        try {
            PoolInfo pool = backend.initPool(new PoolSpec(name, PoolType.LVM, devices, false, Map.of()));
            return new LoopVg(name, List.copyOf(devices), pool);
        } catch (RuntimeException e) {
            HostLvm.removeVgQuietly(name, devices);
            throw e;
        }
    }

    @Override
    public void close() {
        HostLvm.removeVgQuietly(name, devices);
    }
}
