package io.roam.storage.sftp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Optional;
import java.util.function.Function;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * Where the secret that authenticates a session comes from. The secret itself is read each time a
 * session is opened, never kept, so that a rotated secret file is picked up by the next session.
 */
sealed interface SftpCredentials {

    /** Gives the session its identity, to be used by the next {@code auth()}. */
    void addTo(ClientSession session) throws IOException, GeneralSecurityException;

    /** A password held by an environment variable. */
    record PasswordFromEnvironment(String variable, Function<String, String> environment) implements SftpCredentials {

        public PasswordFromEnvironment {
            requireNonNull(variable, "variable is null");
            requireNonNull(environment, "environment is null");
        }

        @Override
        public void addTo(ClientSession session) throws IOException {
            session.addPasswordIdentity(requireVariable(variable, environment, "password-env"));
        }
    }

    /** A password in a file, such as a mounted Kubernetes secret; one trailing line break is ignored. */
    record PasswordFromFile(Path file) implements SftpCredentials {

        public PasswordFromFile {
            requireNonNull(file, "file is null");
        }

        @Override
        public void addTo(ClientSession session) throws IOException {
            session.addPasswordIdentity(withoutTrailingLineBreak(Files.readString(file, UTF_8)));
        }
    }

    /** A private key in OpenSSH or PEM format, encrypted with a passphrase held by an environment variable or not at all. */
    record PrivateKeyFile(Path file, Optional<String> passphraseVariable, Function<String, String> environment) implements SftpCredentials {

        public PrivateKeyFile {
            requireNonNull(file, "file is null");
            requireNonNull(passphraseVariable, "passphraseVariable is null");
            requireNonNull(environment, "environment is null");
        }

        @Override
        public void addTo(ClientSession session) throws IOException, GeneralSecurityException {
            FileKeyPairProvider provider = new FileKeyPairProvider(file);
            if (passphraseVariable.isPresent()) {
                String passphrase = requireVariable(passphraseVariable.get(), environment, "private-key-passphrase-env");
                provider.setPasswordFinder(FilePasswordProvider.of(passphrase));
            }
            boolean loaded = false;
            for (KeyPair keyPair : provider.loadKeys(session)) {
                session.addPublicKeyIdentity(keyPair);
                loaded = true;
            }
            if (!loaded) {
                throw new IOException("the private key file named by property 'private-key-file' holds no key: " + file);
            }
        }
    }

    private static String requireVariable(String variable, Function<String, String> environment, String property) throws IOException {
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new IOException("environment variable '%s', named by property '%s', is not set".formatted(variable, property));
        }
        return value;
    }

    private static String withoutTrailingLineBreak(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
