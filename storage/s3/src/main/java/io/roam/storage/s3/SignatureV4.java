package io.roam.storage.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.roam.storage.ChecksumCalculator;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Signature Version 4 with the {@code Authorization} header, for S3 ("Authenticating Requests: Using the
 * Authorization Header"): the signature the SDK's {@code AwsV4HttpSigner} computes for the same request, at
 * a fraction of its cost. The SDK's signer builds its properties, canonical request and signing key anew for
 * every request, which measured a tenth of the processor time of copying 1 MiB objects; here the signing key
 * is derived once per day, region and secret, and a payload hash the caller already knows is used as given.
 *
 * <p>Contract: {@link #sign} adds {@code Host}, {@code x-amz-date}, {@code x-amz-content-sha256}, {@code
 * x-amz-security-token} for session credentials, and {@code Authorization}, and signs every header of the
 * request but those the SDK leaves out too (hop-by-hop and proxy headers, {@code User-Agent}, {@code Expect}).
 * The request's path must be encoded as sent, once: S3 signs keys as they are, without a second encoding and
 * without resolving "." or ".." segments. Query parameters are raw and encoded here, as the HTTP client
 * sends them. Thread-safe.
 */
final class SignatureV4 {

    /** The payload hash of a request whose body is not signed: over HTTPS, and for requests without a body. */
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String SERVICE = "s3";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Set<String> UNSIGNED_HEADERS = Set.of("connection", "x-amzn-trace-id", "user-agent", "expect", "transfer-encoding",
            "x-forwarded-for");
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern RUNS_OF_SPACES = Pattern.compile(" {2,}");

    private final Clock clock;
    /** The key of the last signature; requests of one profile share their day, region and secret. */
    private volatile SigningKey lastKey;

    private record SigningKey(String secretAccessKey, String date, String region, byte[] key) {
        boolean isFor(String secretAccessKey, String date, String region) {
            return this.date.equals(date) && this.region.equals(region) && this.secretAccessKey.equals(secretAccessKey);
        }

        /** Never the secret nor the key derived from it, should this ever reach a log. */
        @Override
        public String toString() {
            return "SigningKey[date=%s, region=%s]".formatted(date, region);
        }
    }

    SignatureV4(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The hex SHA-256 of a payload, as {@code x-amz-content-sha256} carries it. */
    static String payloadHash(byte[] data, int length) {
        MessageDigest digest = ChecksumCalculator.messageDigest("SHA-256");
        digest.update(data, 0, length);
        return HEX.formatHex(digest.digest());
    }

    /**
     * The request signed for S3 in {@code region}.
     *
     * @param payloadHash the hex SHA-256 of the body, or {@link #UNSIGNED_PAYLOAD}
     */
    SdkHttpFullRequest sign(SdkHttpFullRequest unsigned, AwsCredentials credentials, String region, String payloadHash) {
        SdkHttpFullRequest.Builder request = unsigned.toBuilder();
        String timestamp = TIMESTAMP.format(clock.instant());
        String date = timestamp.substring(0, 8);
        request.putHeader("Host", SdkHttpUtils.isUsingStandardPort(request.protocol(), request.port())
                ? request.host()
                : request.host() + ":" + request.port());
        request.putHeader("x-amz-date", timestamp);
        request.putHeader("x-amz-content-sha256", payloadHash);
        if (credentials instanceof AwsSessionCredentials session) {
            request.putHeader("x-amz-security-token", session.sessionToken());
        }

        TreeMap<String, String> signedHeaders = new TreeMap<>();
        request.forEachHeader((name, values) -> {
            String lowerCaseName = name.toLowerCase(Locale.ROOT);
            if (!UNSIGNED_HEADERS.contains(lowerCaseName)) {
                signedHeaders.merge(lowerCaseName, canonicalValue(values), (first, second) -> first + "," + second);
            }
        });
        String signedHeaderNames = String.join(";", signedHeaders.keySet());
        StringBuilder canonicalRequest = new StringBuilder(256)
                .append(request.method().name()).append('\n')
                .append(request.encodedPath().isEmpty() ? "/" : request.encodedPath()).append('\n')
                .append(canonicalQuery(request)).append('\n');
        signedHeaders.forEach((name, value) -> canonicalRequest.append(name).append(':').append(value).append('\n'));
        canonicalRequest.append('\n').append(signedHeaderNames).append('\n').append(payloadHash);

        String scope = date + "/" + region + "/" + SERVICE + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + timestamp + "\n" + scope + "\n" + sha256Hex(canonicalRequest.toString());
        String signature = HEX.formatHex(hmac(signingKey(credentials.secretAccessKey(), date, region), stringToSign));
        request.putHeader("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaderNames + ", Signature=" + signature);
        return request.build();
    }

    private byte[] signingKey(String secretAccessKey, String date, String region) {
        SigningKey last = lastKey;
        if (last != null && last.isFor(secretAccessKey, date, region)) {
            return last.key();
        }
        byte[] key = ("AWS4" + secretAccessKey).getBytes(UTF_8);
        for (String scopePart : List.of(date, region, SERVICE, "aws4_request")) {
            key = hmac(key, scopePart);
        }
        lastKey = new SigningKey(secretAccessKey, date, region, key);
        return key;
    }

    /** Values trimmed, runs of spaces made one, several values of one header joined by commas. */
    private static String canonicalValue(List<String> values) {
        List<String> trimmed = new ArrayList<>(values.size());
        for (String value : values) {
            String stripped = value.strip();
            trimmed.add(stripped.contains("  ") ? RUNS_OF_SPACES.matcher(stripped).replaceAll(" ") : stripped);
        }
        return String.join(",", trimmed);
    }

    /** Names and values encoded as RFC 3986 unreserved characters, sorted by name, then value. */
    private static String canonicalQuery(SdkHttpFullRequest.Builder request) {
        if (request.numRawQueryParameters() == 0) {
            return "";
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        request.forEachRawQueryParameter((name, values) -> {
            List<String> encodedValues = new ArrayList<>(values.size());
            for (String value : values) {
                encodedValues.add(value == null ? "" : SdkHttpUtils.urlEncode(value));
            }
            encodedValues.sort(null);
            sorted.put(SdkHttpUtils.urlEncode(name), encodedValues);
        });
        StringBuilder query = new StringBuilder();
        sorted.forEach((name, values) -> {
            for (String value : values) {
                query.append(query.isEmpty() ? "" : "&").append(name).append('=').append(value);
            }
        });
        return query.toString();
    }

    private static String sha256Hex(String text) {
        byte[] bytes = text.getBytes(UTF_8);
        return payloadHash(bytes, bytes.length);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(UTF_8));
        }
        catch (GeneralSecurityException exception) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", exception);
        }
    }
}
