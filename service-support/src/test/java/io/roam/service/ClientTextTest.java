package io.roam.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientTextTest {

    @Test
    void escapesControlCharactersSoThatAQuotedValueCannotForgeALine() {
        assertThat(ClientText.quotable("run\r\nINFO forged")).isEqualTo("run\\u000D\\u000AINFO forged");
    }

    @Test
    void keepsAtMostAHundredCharacters() {
        assertThat(ClientText.quotable("x".repeat(100))).isEqualTo("x".repeat(100));
        assertThat(ClientText.quotable("x".repeat(101))).isEqualTo("x".repeat(100) + "...");
    }

    @Test
    void quotesNullAsNull() {
        assertThat(ClientText.quotable(null)).isEqualTo("null");
    }
}
