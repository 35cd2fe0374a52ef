package io.openlocal.backend.filesystem;

/**
 * What an online grow did.
 *
 * @param fsType           the filesystem grown
 * @param totalBytesBefore its size before
 * @param totalBytesAfter  its size after (equal when the device had not grown: growing is idempotent)
 */
public record GrowResult(FsType fsType, long totalBytesBefore, long totalBytesAfter) {
}
