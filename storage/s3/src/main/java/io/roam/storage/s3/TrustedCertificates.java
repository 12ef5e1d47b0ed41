package io.roam.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates an S3 profile trusts instead of the JVM's trust store ({@code trust-certificates}): a
 * PEM file of one or more certificates, typically the private CA of an on-premises store such as MinIO.
 * A server is trusted when its chain leads to one of them (PKIX); the host name is checked as always.
 */
final class TrustedCertificates {

    private TrustedCertificates() {
    }

    /**
     * Trust managers that trust exactly the certificates in {@code pemFile}.
     *
     * @throws IOException when the file cannot be read
     * @throws GeneralSecurityException when it holds no certificate or one that cannot be parsed
     */
    static TrustManager[] trustManagers(Path pemFile) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream input = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(input);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("it holds no PEM certificate");
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int index = 0;
        for (Certificate certificate : certificates) {
            trusted.setCertificateEntry("trusted-" + index++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory.getTrustManagers();
    }
}
