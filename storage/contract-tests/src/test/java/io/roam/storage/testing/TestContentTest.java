package io.roam.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class TestContentTest {

    @Test
    void isDeterministicForASeed() {
        assertThat(new TestContent(42, 1000).bytes()).isEqualTo(new TestContent(42, 1000).bytes());
        assertThat(new TestContent(42, 1000).bytes()).isNotEqualTo(new TestContent(43, 1000).bytes());
    }

    @Test
    void aShorterContentIsAPrefixOfALongerOne() {
        byte[] longer = new TestContent(7, 1000).bytes();

        assertThat(new TestContent(7, 37).bytes()).isEqualTo(Arrays.copyOf(longer, 37));
    }

    @Test
    void streamsTheRequestedNumberOfBytes() throws IOException {
        assertThat(new TestContent(1, 0).bytes()).isEmpty();
        assertThat(new TestContent(1, 12_345).bytes()).hasSize(12_345);
        try (InputStream stream = new TestContent(1, 3).newInputStream()) {
            assertThat(stream.read(new byte[10], 0, 10)).isEqualTo(3);
            assertThat(stream.read(new byte[10], 0, 10)).isEqualTo(-1);
            assertThat(stream.read()).isEqualTo(-1);
        }
    }

    @Test
    void singleByteReadsAgreeWithBulkReadsAndByteAt() throws IOException {
        TestContent content = new TestContent(3, 100);
        byte[] bulk = content.bytes();

        try (InputStream stream = content.newInputStream()) {
            for (int position = 0; position < bulk.length; position++) {
                assertThat((byte) stream.read()).isEqualTo(bulk[position]).isEqualTo(content.byteAt(position));
            }
        }
    }

    @Test
    void aStreamFromAnOffsetIsTheSuffix() throws IOException {
        TestContent content = new TestContent(5, 1000);
        byte[] whole = content.bytes();

        for (int offset : new int[] {0, 1, 7, 8, 9, 999, 1000}) {
            try (InputStream stream = content.newInputStream(offset)) {
                assertThat(stream.readAllBytes()).as("offset %d", offset).isEqualTo(Arrays.copyOfRange(whole, offset, whole.length));
            }
        }
    }

    @Test
    void skipMovesWithinTheContent() throws IOException {
        TestContent content = new TestContent(6, 100);

        try (InputStream stream = content.newInputStream()) {
            assertThat(stream.skip(90)).isEqualTo(90);
            assertThat(stream.available()).isEqualTo(10);
            assertThat(stream.skip(50)).isEqualTo(10);
            assertThat(stream.read()).isEqualTo(-1);
        }
    }

    @Test
    void sha256MatchesTheDigestOfTheBytes() throws IOException, NoSuchAlgorithmException {
        TestContent content = new TestContent(9, 200_000);
        byte[] bytes = content.bytes();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        assertThat(content.sha256().value()).isEqualTo(expected);
        assertThat(TestContent.sha256Of(new ByteArrayInputStream(bytes))).isEqualTo(content.sha256());
        assertThat(content.sha256From(100).value())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(bytes, 100, bytes.length))));
    }

    @Test
    void refusesPositionsOutsideTheContent() {
        TestContent content = new TestContent(1, 10);

        assertThatThrownBy(() -> content.byteAt(10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> content.newInputStream(11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new TestContent(1, -1)).hasMessage("size is negative: -1");
    }
}
