package io.openlocal.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void roundUpToTheUnit() {
        assertThat(Sizes.roundUp("size", 1, 4 * Sizes.MiB)).isEqualTo(4 * Sizes.MiB);
        assertThat(Sizes.roundUp("size", 8 * Sizes.MiB, 4 * Sizes.MiB)).isEqualTo(8 * Sizes.MiB);
        assertThat(Sizes.roundUp("size", 8 * Sizes.MiB + 1, 4 * Sizes.MiB)).isEqualTo(12 * Sizes.MiB);
    }

    @Test
    void roundingPastLongMaxIsInvalidArgument() {
        assertThatThrownBy(() -> Sizes.roundUp("size", Long.MAX_VALUE - 1, 4 * Sizes.MiB))
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("too large");
    }

    @Test
    void nonPositiveSizesAreRejected() {
        assertThatThrownBy(() -> Sizes.requirePositive("capacity_range.required_bytes", 0))
                .isInstanceOf(StorageException.InvalidArgument.class)
                .hasMessageStartingWith("capacity_range.required_bytes:");
        assertThatThrownBy(() -> Sizes.requirePositive("size", -5)).isInstanceOf(StorageException.InvalidArgument.class);
    }

    @Test
    void mibRoundsUp() {
        assertThat(Sizes.toMiBRoundingUp(1)).isEqualTo(1);
        assertThat(Sizes.toMiBRoundingUp(Sizes.MiB)).isEqualTo(1);
        assertThat(Sizes.toMiBRoundingUp(Sizes.MiB + 1)).isEqualTo(2);
    }
}
