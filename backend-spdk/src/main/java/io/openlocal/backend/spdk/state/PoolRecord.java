package io.openlocal.backend.spdk.state;

/**
 * An lvstore Open-Local made (or adopted): what to attach again after the target restarts.
 *
 * @param device           the base device as written in the PoolSpec ({@code aio:...} or {@code nvme:...})
 * @param bdevName         the base bdev's name
 * @param lvstoreUuid      the lvstore's UUID, to recognise it when it comes back
 * @param aioBlockSize     block size given to bdev_aio_create (0: detected by the target)
 */
public record PoolRecord(String device, String bdevName, String lvstoreUuid, int aioBlockSize) {
}
