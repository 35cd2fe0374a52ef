package io.openlocal.scheduling.placement;

import io.openlocal.backend.error.StorageException;

/** How LVM/SPDK claims pick a pool and how nodes are scored (Open-Local's {@code --scheduler-strategy}). */
public enum Strategy {
    /** Fill one pool first: the pool with the least free space that still fits. */
    BINPACK("binpack"),
    /** Keep pools' free space even: the pool with the most free space. */
    SPREAD("spread");

    private final String flagValue;

    Strategy(String flagValue) {
        this.flagValue = flagValue;
    }

    public String flagValue() {
        return flagValue;
    }

    /** Parses {@code binpack} or {@code spread}. */
    public static Strategy parse(String value) {
        for (Strategy s : values()) {
            if (s.flagValue.equals(value)) {
                return s;
            }
        }
        throw new StorageException.InvalidArgument("scheduler strategy '" + value + "' is not binpack or spread");
    }
}
