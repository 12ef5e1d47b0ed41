package io.roam.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaUserTest {

    @Test
    void itsClientSettingsAuthenticateWithScramAndItsTextNeverShowsThePassword() {
        KafkaUser user = new KafkaUser("trainer-llm", "s3cr3t-password");

        assertThat(user.clientSettings())
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"trainer-llm\" password=\"s3cr3t-password\";");
        assertThat(user.toString()).contains("trainer-llm").doesNotContain("s3cr3t-password");
    }

    @Test
    void randomPasswordsDifferAndAreLongEnough() {
        KafkaUser first = KafkaUser.withRandomPassword("catalog");
        KafkaUser second = KafkaUser.withRandomPassword("catalog");

        assertThat(first.password()).hasSize(32).isNotEqualTo(second.password());
    }

    @Test
    void refusesNamesAndPasswordsThatCouldBreakOutOfTheJaasConfiguration() {
        assertThatThrownBy(() -> new KafkaUser("trainer\" password=\"x", "password"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KafkaUser("trainer", "pass\"word"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("pass\"word");
        assertThatThrownBy(() -> new KafkaUser("trainer", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
