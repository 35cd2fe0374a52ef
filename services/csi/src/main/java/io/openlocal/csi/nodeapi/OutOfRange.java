package io.openlocal.csi.nodeapi;

/**
 * No volume the node could make satisfies the capacity range (after rounding to the backend's unit, or because
 * the only devices that fit are larger than the limit). CSI answers this with OUT_OF_RANGE, which no backend
 * error kind expresses, hence a type of its own; it crosses the node API like the backend errors.
 */
public final class OutOfRange extends RuntimeException {

    public OutOfRange(String message) {
        super(message);
    }
}
