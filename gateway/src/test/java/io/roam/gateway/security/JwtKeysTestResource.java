package io.roam.gateway.security;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.roam.infrastructure.WorkDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * A fresh RSA key pair for the gateway under test: its public key is the one the gateway verifies JWTs with
 * ({@code mp.jwt.verify.publickey.location}), its private key the one {@link TestTokens} signs with
 * ({@code smallrye.jwt.sign.key.location}). Both are PEM files in a temporary directory, deleted on stop.
 */
public final class JwtKeysTestResource implements QuarkusTestResourceLifecycleManager {

    private Path directory;

    @Override
    public Map<String, String> start() {
        directory = WorkDirectories.createTemporary("roam-jwt-keys-");
        KeyPair keys = generate();
        Path publicKey = write("public.pem", "PUBLIC KEY", keys.getPublic().getEncoded());
        Path privateKey = write("private.pem", "PRIVATE KEY", keys.getPrivate().getEncoded());
        return Map.of(
                "mp.jwt.verify.publickey.location", publicKey.toUri().toString(),
                "smallrye.jwt.sign.key.location", privateKey.toUri().toString());
    }

    @Override
    public void stop() {
        if (directory != null) {
            WorkDirectories.deleteRecursively(directory);
            directory = null;
        }
    }

    private Path write(String name, String type, byte[] der) {
        String pem = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        try {
            return Files.writeString(directory.resolve(name), pem);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
