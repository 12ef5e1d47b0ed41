package io.roam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void parsesPlainBytesAndBinaryAndDecimalUnitsIgnoringCase() {
        assertThat(ByteSize.parse("4096")).isEqualTo(4096);
        assertThat(ByteSize.parse("10B")).isEqualTo(10);
        assertThat(ByteSize.parse("4KiB")).isEqualTo(4096);
        assertThat(ByteSize.parse("4k")).isEqualTo(4096);
        assertThat(ByteSize.parse("4MiB")).isEqualTo(4L * 1024 * 1024);
        assertThat(ByteSize.parse("4mib")).isEqualTo(4L * 1024 * 1024);
        assertThat(ByteSize.parse("1G")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("2 GiB")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("8KB")).isEqualTo(8_000);
        assertThat(ByteSize.parse("3MB")).isEqualTo(3_000_000);
        assertThat(ByteSize.parse("1GB")).isEqualTo(1_000_000_000);
    }

    @Test
    void refusesWhatIsNotASize() {
        assertThatThrownBy(() -> ByteSize.parse("")).hasMessageStartingWith("'' is not a size");
        assertThatThrownBy(() -> ByteSize.parse("-4MiB")).hasMessageStartingWith("'-4MiB' is not a size");
        assertThatThrownBy(() -> ByteSize.parse("1.5MiB")).hasMessageStartingWith("'1.5MiB' is not a size");
        assertThatThrownBy(() -> ByteSize.parse("4TiB")).hasMessageStartingWith("unknown unit 'TiB' in '4TiB'");
        assertThatThrownBy(() -> ByteSize.parse("99999999999999999999")).hasMessage("'99999999999999999999' is too large");
        assertThatThrownBy(() -> ByteSize.parse("9999999999999GiB")).hasMessage("'9999999999999GiB' is too large");
    }

    @Test
    void formatsInBinaryUnitsWithOneDecimal() {
        assertThat(ByteSize.format(0)).isEqualTo("0 B");
        assertThat(ByteSize.format(1023)).isEqualTo("1023 B");
        assertThat(ByteSize.format(1024)).isEqualTo("1.0 KiB");
        assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
        assertThat(ByteSize.format(5L * 1024 * 1024 * 1024 / 2)).isEqualTo("2.5 GiB");
        assertThat(ByteSize.format(3L << 40)).isEqualTo("3.0 TiB");
    }
}
