package io.openlocal.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlocal.backend.naming.Quantities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

    @Test
    void binaryAndDecimalSuffixes() {
        assertThat(Quantities.parseBytes("1Gi")).isEqualTo(1L << 30);
        assertThat(Quantities.parseBytes("256Mi")).isEqualTo(256L << 20);
        assertThat(Quantities.parseBytes("500M")).isEqualTo(500_000_000L);
        assertThat(Quantities.parseBytes("1.5Gi")).isEqualTo(3L << 29);
        assertThat(Quantities.parseBytes("1024")).isEqualTo(1024L);
        assertThat(Quantities.parseBytes("0.1")).isEqualTo(1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-1Gi", "1GB", "Gi", "1 Gi", "1e3", "9999999Ei", "abc", "1Gi;rm"})
    void malformedQuantitiesAreRejectedWithTheText(String text) {
        assertThatThrownBy(() -> Quantities.parseBytes(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatPicksTheLargestExactUnit() {
        assertThat(Quantities.format(1L << 30)).isEqualTo("1Gi");
        assertThat(Quantities.format(1536L << 20)).isEqualTo("1536Mi");
        assertThat(Quantities.format(1000)).isEqualTo("1000");
        assertThat(Quantities.format(0)).isEqualTo("0");
    }
}
