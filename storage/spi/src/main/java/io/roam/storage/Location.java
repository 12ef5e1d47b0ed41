package io.roam.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A storage location in fsspec style: {@code s3://bucket/a/b}, {@code gs://bucket/a},
 * {@code abfss://container@account.dfs.core.windows.net/a}, {@code sftp://user@host:22/a},
 * {@code hdfs://namenode:8020/a}, {@code file:///a/b} or a bare absolute path {@code /a/b}.
 *
 * <p>Parsing is strict, because locations come from users and name places where Roam writes: dot
 * segments, empty segments, backslashes, control characters, queries and fragments are refused, and so
 * are their percent-encoded forms. Apart from that, a path is taken literally: {@code %20} names a file
 * whose name contains {@code %20}, not a space. Unicode and spaces are allowed.
 *
 * <p>A location keeps its text exactly as written: {@link #toString()} returns the parsed string, and
 * equality compares those strings, so {@code /a/} and {@code file:///a/} are different locations. Use
 * {@link #canonical()} or {@link #contains(Location)} to ask whether two locations name the same place.
 *
 * <p>A location whose path is empty or ends with {@code /} is a directory; any other names a file.
 */
public final class Location {

    public static final int MAXIMUM_LENGTH = 4096;

    /** In the order error messages list them. */
    private static final List<String> SUPPORTED_SCHEMES =
            List.of("file", "s3", "gs", "gcs", "abfs", "abfss", "az", "sftp", "hdfs");
    private static final Set<String> SCHEMES_WITH_USER_INFO = Set.of("sftp", "abfs", "abfss");
    private static final Set<String> SCHEMES_WITH_PORT = Set.of("sftp", "hdfs");

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern IPV6_HOST = Pattern.compile("\\[[0-9A-Fa-f:.]+]");
    private static final Pattern USER_INFO = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern PERCENT_ENCODED_ASCII = Pattern.compile("%([0-7][0-9A-Fa-f])");
    /**
     * Percent-encoded UTF-8 that is never valid because it is overlong ({@code %C0%AE} for {@code .}): lenient
     * decoders further down have turned such bytes into {@code .} or {@code /}.
     */
    private static final Pattern PERCENT_ENCODED_OVERLONG_UTF8 = Pattern.compile("%[Cc][01]|%[Ee]0%[89][0-9A-Fa-f]|%[Ff]0%8[0-9A-Fa-f]");

    /** Longer inputs are shortened to this many characters when quoted in an error message. */
    private static final int QUOTED_LENGTH = 200;

    private final String location;
    private final String scheme;
    private final Optional<String> userInfo;
    private final Optional<String> host;
    private final OptionalInt port;
    private final String path;

    private Location(String location, String scheme, Optional<String> userInfo, Optional<String> host, OptionalInt port, String path) {
        this.location = location;
        this.scheme = scheme;
        this.userInfo = userInfo;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /**
     * Parses a location.
     *
     * @throws InvalidLocationException when the text is not a location Roam supports
     */
    public static Location parse(String location) {
        requireNonNull(location, "location is null");
        String subject = quote(withoutUserInformation(location));
        checkCharacters(location, subject);
        if (location.startsWith("/")) {
            return new Location(location, "file", Optional.empty(), Optional.empty(), OptionalInt.empty(), checkPath(location.substring(1), subject));
        }

        int colon = location.indexOf(':');
        int slash = location.indexOf('/');
        if (colon < 0 || (slash >= 0 && slash < colon)) {
            throw invalid("relative location in %s; expected an absolute path starting with '/' or a URI such as 's3://bucket/path'", subject);
        }
        String writtenScheme = location.substring(0, colon);
        if (!SCHEME.matcher(writtenScheme).matches()) {
            throw invalid("malformed scheme '%s' in %s", escape(writtenScheme), subject);
        }
        String scheme = writtenScheme.toLowerCase(Locale.ROOT);
        if (!SUPPORTED_SCHEMES.contains(scheme)) {
            throw invalid("unsupported scheme '%s' in %s; supported: %s", writtenScheme, subject, String.join(", ", SUPPORTED_SCHEMES));
        }
        if (!location.startsWith("://", colon)) {
            throw invalid("scheme '%s' must be followed by '://' in %s", writtenScheme, subject);
        }

        int authorityStart = colon + 3;
        int pathStart = location.indexOf('/', authorityStart);
        String authority = pathStart < 0 ? location.substring(authorityStart) : location.substring(authorityStart, pathStart);
        String path = pathStart < 0 ? "" : checkPath(location.substring(pathStart + 1), subject);

        if (scheme.equals("file")) {
            if (!authority.isEmpty() || pathStart < 0) {
                throw invalid("a file location must be 'file:///absolute/path', without a host, in %s", subject);
            }
            return new Location(location, scheme, Optional.empty(), Optional.empty(), OptionalInt.empty(), path);
        }
        return parseAuthority(location, scheme, authority, path, subject);
    }

    private static Location parseAuthority(String location, String scheme, String authority, String path, String subject) {
        Optional<String> userInfo = Optional.empty();
        String hostAndPort = authority;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String user = authority.substring(0, at);
            if (!SCHEMES_WITH_USER_INFO.contains(scheme)) {
                throw invalid("scheme '%s' does not take user information in %s", scheme, subject);
            }
            if (user.contains(":")) {
                throw invalid("user information must not contain a password in %s", subject);
            }
            if (!USER_INFO.matcher(user).matches()) {
                throw invalid("malformed user information '%s' in %s", escape(user), subject);
            }
            userInfo = Optional.of(user);
            hostAndPort = authority.substring(at + 1);
        }

        String host;
        String portSuffix;
        if (hostAndPort.startsWith("[")) {
            int end = hostAndPort.indexOf(']');
            host = end < 0 ? hostAndPort : hostAndPort.substring(0, end + 1);
            portSuffix = end < 0 ? "" : hostAndPort.substring(end + 1);
            if (!IPV6_HOST.matcher(host).matches()) {
                throw invalid("malformed IPv6 host '%s' in %s", escape(host), subject);
            }
        }
        else {
            int portColon = hostAndPort.indexOf(':');
            host = portColon < 0 ? hostAndPort : hostAndPort.substring(0, portColon);
            portSuffix = portColon < 0 ? "" : hostAndPort.substring(portColon);
            if (host.isEmpty()) {
                throw invalid("missing host (bucket, container or server) after '%s://' in %s", scheme, subject);
            }
            if (!HOST.matcher(host).matches()) {
                throw invalid("malformed host '%s' in %s", escape(host), subject);
            }
        }

        OptionalInt port = OptionalInt.empty();
        if (!portSuffix.isEmpty()) {
            if (!SCHEMES_WITH_PORT.contains(scheme)) {
                throw invalid("scheme '%s' does not take a port in %s", scheme, subject);
            }
            String portText = portSuffix.substring(1);
            if (!portSuffix.startsWith(":") || !PORT.matcher(portText).matches()) {
                throw invalid("malformed port '%s' in %s", escape(portSuffix), subject);
            }
            int number = Integer.parseInt(portText);
            if (number < 1 || number > 65535) {
                throw invalid("port %s is not between 1 and 65535 in %s", portText, subject);
            }
            port = OptionalInt.of(number);
        }
        return new Location(location, scheme, userInfo, Optional.of(host), port, path);
    }

    private static void checkCharacters(String text, String subject) {
        if (text.length() > MAXIMUM_LENGTH) {
            throw invalid("too long (%d characters, more than the %d allowed): %s", text.length(), MAXIMUM_LENGTH, subject);
        }
        if (text.isBlank()) {
            throw invalid("%s is empty or blank", subject);
        }
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            if (Character.isISOControl(character)) {
                throw invalid("control character U+%04X at index %d in %s", (int) character, index, subject);
            }
            switch (character) {
                case '\\' -> throw invalid("backslash at index %d in %s", index, subject);
                case '?' -> throw invalid("query ('?') at index %d in %s; locations take no query", index, subject);
                case '#' -> throw invalid("fragment ('#') at index %d in %s; locations take no fragment", index, subject);
                default -> {
                    if (Character.isHighSurrogate(character) && index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1))) {
                        index++;
                    }
                    else if (Character.isSurrogate(character)) {
                        throw invalid("unpaired surrogate U+%04X at index %d in %s", (int) character, index, subject);
                    }
                }
            }
        }
    }

    /**
     * Checks the path part (after the authority's slash) and returns it. A trailing {@code /} marks a
     * directory; every other segment must be non-empty and safe.
     */
    private static String checkPath(String path, String subject) {
        if (path.isEmpty()) {
            return path;
        }
        String[] segments = path.split("/", -1);
        for (int index = 0; index < segments.length; index++) {
            String segment = segments[index];
            boolean trailingSlash = index == segments.length - 1;
            if (segment.isEmpty() && !trailingSlash) {
                throw invalid("empty path segment ('//') in %s", subject);
            }
            checkSegment(segment, subject);
        }
        return path;
    }

    private static void checkSegment(String segment, String subject) {
        if (segment.equals(".") || segment.equals("..")) {
            throw invalid("'%s' segment in %s", segment, subject);
        }
        // A percent-encoded name is stored literally here, but an HTTP service or a client library
        // further down may decode it, possibly more than once: refuse whatever would decode to
        // something dangerous.
        String decoded = decodeAsciiPercentEncoding(segment);
        if (decoded.equals(".") || decoded.equals("..")) {
            throw invalid("percent-encoded '%s' segment '%s' in %s", decoded, segment, subject);
        }
        if (decoded.indexOf('/') >= 0) {
            throw invalid("percent-encoded slash in segment '%s' in %s", segment, subject);
        }
        if (decoded.indexOf('\\') >= 0) {
            throw invalid("percent-encoded backslash in segment '%s' in %s", segment, subject);
        }
        if (decoded.chars().anyMatch(Character::isISOControl)) {
            throw invalid("percent-encoded control character in segment '%s' in %s", segment, subject);
        }
        if (PERCENT_ENCODED_OVERLONG_UTF8.matcher(decoded).find()) {
            throw invalid("percent-encoded overlong UTF-8 in segment '%s' in %s", segment, subject);
        }
    }

    /** Decodes {@code %00} to {@code %7F} repeatedly until nothing changes, so double encoding is seen through. */
    private static String decodeAsciiPercentEncoding(String text) {
        String current = text;
        while (current.indexOf('%') >= 0) {
            Matcher matcher = PERCENT_ENCODED_ASCII.matcher(current);
            String next = matcher.replaceAll(match -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(match.group(1), 16))));
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /** The scheme in lowercase; {@code file} for a bare absolute path. */
    public String scheme() {
        return scheme;
    }

    /** The user before {@code @} in the authority: the SFTP user, or the container of an {@code abfs[s]://container@account…} location. */
    public Optional<String> userInfo() {
        return userInfo;
    }

    /** The host: the bucket, container or account host, the SFTP server, the HDFS name node. Empty for local paths. */
    public Optional<String> host() {
        return host;
    }

    public OptionalInt port() {
        return port;
    }

    /**
     * Everything after the authority, without the leading slash: {@code a/b} for {@code s3://bucket/a/b},
     * {@code data/x/} for {@code /data/x/} and {@code file:///data/x/}, empty for {@code s3://bucket}.
     */
    public String path() {
        return path;
    }

    /** Whether this location names a directory (or a prefix, on a blob store): its path is empty or ends with {@code /}. */
    public boolean isDirectory() {
        return path.isEmpty() || path.endsWith("/");
    }

    /** This location as a directory: itself when it is one, otherwise the same location followed by {@code /}. */
    public Location asDirectory() {
        return isDirectory() ? this : parse(location + "/");
    }

    /**
     * The last segment of the path: the name of the file.
     *
     * @throws IllegalStateException when this location is a directory
     */
    public String fileName() {
        if (isDirectory()) {
            throw new IllegalStateException("'%s' is a directory, not a file".formatted(this));
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Appends a relative path to this directory, keeping this location's textual form:
     * {@code /data/x/} resolved with {@code a/b.bin} is {@code /data/x/a/b.bin}. The relative path must
     * not start with {@code /} and is validated like any path; it may end with {@code /} to name a
     * directory.
     *
     * @throws IllegalStateException when this location is not a directory
     * @throws InvalidLocationException when the relative path is invalid or the result too long
     */
    public Location resolve(String relativePath) {
        requireNonNull(relativePath, "relativePath is null");
        if (!isDirectory()) {
            throw new IllegalStateException("cannot resolve '%s' against '%s': it is not a directory (it does not end with '/')"
                    .formatted(escape(relativePath), this));
        }
        String subject = "relative path " + quote(relativePath);
        checkCharacters(relativePath, subject);
        if (relativePath.startsWith("/")) {
            throw invalid("%s must not start with '/'", subject);
        }
        checkPath(relativePath, subject);
        String separator = path.isEmpty() && !location.endsWith("/") ? "/" : "";
        return parse(location + separator + relativePath);
    }

    /**
     * Whether {@code other} is this directory or lies beneath it, comparing {@link #canonical()} forms:
     * same scheme, user information, host and port, and a path that starts with this directory's path.
     * Since a directory's path ends with {@code /}, {@code s3://b/dir/} does not contain
     * {@code s3://b/dir-other/x}. A location that is not a directory contains only itself.
     */
    public boolean contains(Location other) {
        requireNonNull(other, "other is null");
        Location self = canonical();
        Location candidate = other.canonical();
        boolean sameAuthority = self.scheme.equals(candidate.scheme)
                && self.userInfo.equals(candidate.userInfo)
                && self.host.equals(candidate.host)
                && self.port.equals(candidate.port);
        if (!sameAuthority) {
            return false;
        }
        return isDirectory() ? candidate.path.startsWith(path) : candidate.path.equals(path);
    }

    /**
     * The path of a location under this directory relative to it, such that
     * {@code directory.resolve(directory.relativePathOf(descendant))} names the same place as
     * {@code descendant}. Empty for the directory itself.
     *
     * @throws IllegalStateException when this location is not a directory
     * @throws IllegalArgumentException when {@code descendant} is not under this directory
     */
    public String relativePathOf(Location descendant) {
        requireNonNull(descendant, "descendant is null");
        if (!isDirectory()) {
            throw new IllegalStateException("'%s' is not a directory (it does not end with '/')".formatted(this));
        }
        if (!contains(descendant)) {
            throw new IllegalArgumentException("'%s' is not under '%s'".formatted(descendant, this));
        }
        return descendant.path.substring(path.length());
    }

    /**
     * The form used to compare places: a bare absolute path becomes {@code file:///…}, the scheme is
     * lowercased, and scheme aliases map to one name ({@code gcs} to {@code gs}, {@code az} to
     * {@code abfs}; both take the container as host). Nothing else changes: the authority and path
     * are kept as written.
     */
    public Location canonical() {
        String canonicalScheme = switch (scheme) {
            case "gcs" -> "gs";
            case "az" -> "abfs";
            default -> scheme;
        };
        String text = location.startsWith("/")
                ? "file://" + location
                : canonicalScheme + location.substring(scheme.length());
        return text.equals(location) ? this : new Location(text, canonicalScheme, userInfo, host, port, path);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Location that && location.equals(that.location);
    }

    @Override
    public int hashCode() {
        return location.hashCode();
    }

    /** The location exactly as parsed. */
    @Override
    public String toString() {
        return location;
    }

    private static InvalidLocationException invalid(String format, Object... arguments) {
        return new InvalidLocationException(format.formatted(arguments));
    }

    /**
     * The location as it may appear in a message or a log line: user information that could be a credential
     * ({@code s3://key:secret@bucket/}, {@code sftp://user:password@host/}, a token where no user is expected)
     * is replaced by {@code ***}; a plain user name of a scheme that takes one is kept.
     */
    private static String withoutUserInformation(String location) {
        int schemeEnd = location.indexOf("://");
        if (schemeEnd < 0) {
            return location;
        }
        int authorityStart = schemeEnd + 3;
        int pathStart = location.indexOf('/', authorityStart);
        int authorityEnd = pathStart < 0 ? location.length() : pathStart;
        int at = location.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return location;
        }
        String scheme = location.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String user = location.substring(authorityStart, at);
        boolean plainUser = SCHEMES_WITH_USER_INFO.contains(scheme) && USER_INFO.matcher(user).matches();
        return plainUser ? location : location.substring(0, authorityStart) + "***" + location.substring(at);
    }

    private static String quote(String text) {
        String shortened = text.length() <= QUOTED_LENGTH
                ? text
                : text.substring(0, QUOTED_LENGTH) + "...";
        return "'" + escape(shortened) + "'";
    }

    /** Makes text safe to put in a message and a log line: control characters and lone surrogates are escaped. */
    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        text.codePoints().forEach(codePoint -> {
            boolean loneSurrogate = Character.getType(codePoint) == Character.SURROGATE;
            if (Character.isISOControl(codePoint) || loneSurrogate) {
                escaped.append("\\u%04X".formatted(codePoint));
            }
            else {
                escaped.appendCodePoint(codePoint);
            }
        });
        return escaped.toString();
    }
}
