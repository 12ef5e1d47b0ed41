package io.roam.catalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceTokensTest {

    @Test
    void everyConfiguredTokenIsAcceptedSoThatATokenCanBeRotated() {
        ServiceTokens tokens = new ServiceTokens(() -> Optional.of(List.of(TokenDigests.sha256Hex("old-token"),
                " " + TokenDigests.sha256Hex("new-token") + " ")));

        assertThat(tokens.accepts("old-token")).isTrue();
        assertThat(tokens.accepts("new-token")).isTrue();
        assertThat(tokens.accepts("other-token")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts(TokenDigests.sha256Hex("old-token"))).as("the hash itself is no token").isFalse();
    }

    @Test
    void withoutAnyTokenTheCatalogRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> new ServiceTokens(Optional::empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("roam.catalog.security.service-token-sha256")
                .hasMessageContaining("ROAM_CATALOG_SECURITY_SERVICE_TOKEN_SHA256");
        assertThatThrownBy(() -> new ServiceTokens(() -> Optional.of(List.of(" "))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("accepts no service token");
    }

    @Test
    void aMalformedHashIsRefusedWithoutQuotingIt() {
        String tokenConfiguredByMistake = "a-service-token-instead-of-its-hash";

        assertThatThrownBy(() -> new ServiceTokens(() -> Optional.of(List.of(TokenDigests.sha256Hex("token"),
                tokenConfiguredByMistake))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("entry 2 of roam.catalog.security.service-token-sha256")
                .hasMessageNotContaining(tokenConfiguredByMistake);
        assertThatThrownBy(() -> new ServiceTokens(() -> Optional.of(List.of(TokenDigests.sha256Hex("token").toUpperCase()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("64 lowercase hex digits");
    }

    @Test
    void theDigestIsTheLowercaseHexSha256OfTheToken() {
        // sha256 of "abc", from FIPS 180-2.
        assertThat(TokenDigests.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
