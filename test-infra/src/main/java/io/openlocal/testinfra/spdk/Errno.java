package io.openlocal.testinfra.spdk;

/** The errno values the emulated target uses, with glibc's strerror text (the target's error messages). */
enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EIO(5, "Input/output error"),
    ENOMEM(12, "Cannot allocate memory"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    EINVAL(22, "Invalid argument"),
    ENOSPC(28, "No space left on device"),
    EALREADY(114, "Operation already in progress");

    private final int number;
    private final String message;

    Errno(int number, String message) {
        this.number = number;
        this.message = message;
    }

    /** The negative errno, as the target puts it in the code member. */
    int code() {
        return -number;
    }

    String message() {
        return message;
    }
}
