package io.roam.storage.local;

import io.roam.storage.Location;

import java.nio.file.Path;

class LocalFileSystemFileUriContractTest extends LocalFileSystemContractTest {

    @Override
    Location toDirectoryLocation(Path directory) {
        return Location.parse("file://" + directory + "/");
    }
}
