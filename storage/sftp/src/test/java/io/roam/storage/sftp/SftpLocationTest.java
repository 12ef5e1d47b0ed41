package io.roam.storage.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.sftp.SftpLocation.SftpEndpoint;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class SftpLocationTest {

    @Test
    void takesTheUserHostPortAndAbsolutePathFromTheLocation() {
        SftpLocation location = SftpLocation.of(Location.parse("sftp://alice@nas.lab:2222/srv/data/file.bin"), Optional.of("roam"));

        assertThat(location.endpoint()).isEqualTo(new SftpEndpoint("alice", "nas.lab", 2222));
        assertThat(location.path()).isEqualTo("/srv/data/file.bin");
        assertThat(location.parentPath()).isEqualTo("/srv/data");
    }

    @Test
    void defaultsToTheProfilesUserAndPort22() {
        SftpLocation location = SftpLocation.of(Location.parse("sftp://nas.lab/file.bin"), Optional.of("roam"));

        assertThat(location.endpoint()).isEqualTo(new SftpEndpoint("roam", "nas.lab", 22));
        assertThat(location.endpoint()).hasToString("roam@nas.lab:22");
        assertThat(location.parentPath()).isEqualTo("/");
    }

    @Test
    void connectsToIpv6LiteralsWithoutBrackets() {
        SftpLocation location = SftpLocation.of(Location.parse("sftp://roam@[::1]:22/data/"), Optional.empty());

        assertThat(location.endpoint().host()).isEqualTo("::1");
        assertThat(location.endpoint()).hasToString("roam@[::1]:22");
        assertThat(location.path()).isEqualTo("/data/");
    }

    @Test
    void refusesOtherSchemesAndLocationsWithoutAUser() {
        assertThatThrownBy(() -> SftpLocation.of(Location.parse("s3://bucket/file.bin"), Optional.of("roam")))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessage("'s3://bucket/file.bin' is not an SFTP location: expected 'sftp://[user@]host[:port]/path'");
        assertThatThrownBy(() -> SftpLocation.of(Location.parse("sftp://nas.lab/file.bin"), Optional.empty()))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessage("'sftp://nas.lab/file.bin' names no user: write 'sftp://user@host/path' or set the storage profile's 'username' property");
    }
}
