package io.roam.infrastructure;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A SCRAM-SHA-512 user of a secured {@link KafkaBroker}: the name its ACLs are granted to and the password it
 * authenticates with. {@link #toString()} never shows the password.
 *
 * @param name letters, digits, {@code .}, {@code _} and {@code -}
 * @param password not empty; without {@code "}, {@code \} or control characters, so that it can be quoted in a
 *         JAAS configuration as it is
 */
public record KafkaUser(String name, String password) {

    /** The SASL mechanism of a secured broker's client listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern UNQUOTABLE = Pattern.compile("[\"\\\\\\p{Cntrl}]");
    private static final SecureRandom RANDOM = new SecureRandom();

    public KafkaUser {
        requireNonNull(name, "name is null");
        requireNonNull(password, "password is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a Kafka user name may hold only letters, digits, '.', '_' and '-': " + name);
        }
        if (password.isEmpty() || UNQUOTABLE.matcher(password).find()) {
            throw new IllegalArgumentException("the password of Kafka user " + name
                    + " must not be empty nor hold '\"', '\\' or control characters");
        }
    }

    /** A user with a random password of 32 URL-safe characters (24 random bytes). */
    public static KafkaUser withRandomPassword(String name) {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        return new KafkaUser(name, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /**
     * The Kafka client settings ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}) that
     * authenticate as this user to a secured broker. The JAAS configuration holds the password: keep it out of logs
     * and command lines.
     */
    public Map<String, String> clientSettings() {
        return Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaasConfiguration());
    }

    /** The {@code ScramLoginModule} line of {@code sasl.jaas.config}, holding the password. */
    String jaasConfiguration() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name + "\" password=\""
                + password + "\";";
    }

    @Override
    public String toString() {
        return "KafkaUser[name=" + name + ", password=<hidden>]";
    }
}
