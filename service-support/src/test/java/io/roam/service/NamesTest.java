package io.roam.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void aProjectIsLowercaseLettersDigitsAndSeparatorsStartingWithALetterOrDigit() {
        assertThat(Names.isProject("llm")).isTrue();
        assertThat(Names.isProject("vision-2.eu_west")).isTrue();
        assertThat(Names.isProject("a".repeat(63))).isTrue();

        assertThat(Names.isProject("a".repeat(64))).isFalse();
        assertThat(Names.isProject("LLM")).isFalse();
        assertThat(Names.isProject("-llm")).isFalse();
        assertThat(Names.isProject("llm/other")).isFalse();
        assertThat(Names.isProject("")).isFalse();
        assertThat(Names.isProject(null)).isFalse();
    }

    @Test
    void aGrantMayNameEveryProjectButNoOtherWildcard() {
        assertThat(Names.isProjectOrEveryProject("*")).isTrue();
        assertThat(Names.isProjectOrEveryProject("llm")).isTrue();
        assertThat(Names.isProjectOrEveryProject("llm*")).isFalse();
    }

    @Test
    void anArtifactNameAllowsMixedCaseAndVersionCharacters() {
        assertThat(Names.isArtifactName("Llama-7B_run=3+ft.v2")).isTrue();
        assertThat(Names.isArtifactName("a".repeat(255))).isTrue();

        assertThat(Names.isArtifactName("a".repeat(256))).isFalse();
        assertThat(Names.isArtifactName("../etc")).isFalse();
        assertThat(Names.isArtifactName("run 42")).isFalse();
    }
}
