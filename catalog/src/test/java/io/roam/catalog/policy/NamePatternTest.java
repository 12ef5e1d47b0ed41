package io.roam.catalog.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Name patterns accept what the gateway's public API accepts (ArtifactRules.policy), and nothing else. */
class NamePatternTest {

    @ParameterizedTest
    @ValueSource(strings = {"*", "llama-7b", "llama-*", "l*", "run_1.step=2+x", "7b"})
    void aNameAPrefixFollowedByAStarOrAStarAloneIsAPattern(String text) {
        assertThat(NamePattern.parse(text).text()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "llama-*-7b", "*llama", "**", "-llama*", "llama 7b", "llama/7b", "../x*", "llama\n*"})
    void anythingElseIsRefusedWithTheRule(String text) {
        assertThatThrownBy(() -> NamePattern.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'*', a name or a name's prefix followed by '*'");
    }

    @Test
    void theNamePartIsAtMost255Characters() {
        String longestName = "a".repeat(255);

        assertThat(NamePattern.parse(longestName).text()).isEqualTo(longestName);
        assertThat(NamePattern.parse(longestName + "*").text()).isEqualTo(longestName + "*");
        assertThatThrownBy(() -> NamePattern.parse("a" + longestName)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamePattern.parse("a" + longestName + "*")).isInstanceOf(IllegalArgumentException.class);
    }
}
