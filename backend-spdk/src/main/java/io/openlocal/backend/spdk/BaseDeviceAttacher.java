package io.openlocal.backend.spdk;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.spdk.target.BdevInfo;
import io.openlocal.backend.spdk.target.SpdkTarget;
import java.util.List;
import java.util.Optional;

/** Attaches and detaches the base bdev of a pool: an AIO bdev, or a local NVMe controller. */
final class BaseDeviceAttacher {

    private final SpdkTarget target;

    BaseDeviceAttacher(SpdkTarget target) {
        this.target = target;
    }

    /** Attaches the device as the pool's bdev; {@code aioBlockSize} 0 lets the target detect it. */
    void attach(String pool, BaseDevice device, int aioBlockSize) {
        switch (device) {
            case BaseDevice.Aio aio -> target.aioCreate(aio.bdevName(pool), aio.path().toString(), aioBlockSize);
            case BaseDevice.Nvme nvme -> {
                List<String> bdevs = target.nvmeAttach(nvme.controllerName(pool), nvme.pciAddress());
                if (!bdevs.contains(nvme.bdevName(pool))) {
                    detach(pool, device);
                    throw new StorageException.InvalidArgument(device.spec() + ": the controller has no namespace 1 "
                            + "(bdevs " + bdevs + ")");
                }
            }
        }
    }

    /** Detaches the pool's bdev; absent is success. */
    void detach(String pool, BaseDevice device) {
        try {
            switch (device) {
                case BaseDevice.Aio aio -> target.aioDelete(aio.bdevName(pool));
                case BaseDevice.Nvme nvme -> target.nvmeDetach(nvme.controllerName(pool));
            }
        } catch (StorageException.NotFound e) {
            // Already detached.
        }
    }

    /** The bdev already attached for this device under another name, if any (AIO only: by file name). */
    Optional<BdevInfo> attachedElsewhere(String pool, BaseDevice device, List<BdevInfo> bdevs) {
        if (device instanceof BaseDevice.Aio aio) {
            for (BdevInfo b : bdevs) {
                if (!b.name().equals(aio.bdevName(pool)) && b.aioFilename().filter(aio.path().toString()::equals).isPresent()) {
                    return Optional.of(b);
                }
            }
        }
        return Optional.empty();
    }
}
