package io.openlocal.launcher.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BinarySizeTest {

    @Test
    void exactMultiplesHaveNoDecimalsAndOthersOne() {
        assertThat(BinarySize.format(null)).isEqualTo("-");
        assertThat(BinarySize.format(0L)).isEqualTo("0B");
        assertThat(BinarySize.format(1023L)).isEqualTo("1023B");
        assertThat(BinarySize.format(1024L)).isEqualTo("1KiB");
        assertThat(BinarySize.format(1536L)).isEqualTo("1.5KiB");
        assertThat(BinarySize.format(1L << 30)).isEqualTo("1GiB");
        assertThat(BinarySize.format(3L << 40)).isEqualTo("3TiB");
        assertThat(BinarySize.format((1L << 30) - 4194304)).isEqualTo("1020MiB");
        assertThat(BinarySize.format(21470642176L)).isEqualTo("20.0GiB");
    }
}
