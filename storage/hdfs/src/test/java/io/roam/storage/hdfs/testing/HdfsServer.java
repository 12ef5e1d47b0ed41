package io.roam.storage.hdfs.testing;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS cluster in this JVM: one name node and one data node ({@link MiniDFSCluster}), every
 * socket bound to 127.0.0.1 on a free port, its storage under a work directory. Permissions are
 * enforced. It creates {@link #ROOT_DIRECTORY} owned by {@link #USER}, the user its profiles act as.
 * Starting takes a few seconds: start one per test class.
 */
public final class HdfsServer implements AutoCloseable {

    /** The user that owns {@link #ROOT_DIRECTORY}, under simple authentication. */
    public static final String USER = "roam";
    /** Another user, in a group of its own: it may read what is readable by all, and nothing of mode 600. */
    public static final String OTHER_USER = "intruder";
    public static final String ROOT_DIRECTORY = "/roam/";

    private final MiniDFSCluster cluster;
    private final FileSystem administrator;

    private HdfsServer(MiniDFSCluster cluster, FileSystem administrator) {
        this.cluster = cluster;
        this.administrator = administrator;
    }

    /**
     * Starts a cluster whose name node and data node keep their storage under the work directory,
     * which the caller deletes after {@link #close()}.
     */
    public static HdfsServer start(Path workDirectory) {
        requireNonNull(workDirectory, "workDirectory is null");
        Configuration configuration = new Configuration();
        for (String key : List.of(
                "dfs.namenode.rpc-bind-host",
                "dfs.namenode.servicerpc-bind-host",
                "dfs.namenode.lifeline.rpc-bind-host",
                "dfs.namenode.http-bind-host",
                "dfs.namenode.https-bind-host")) {
            configuration.set(key, "127.0.0.1");
        }
        for (String key : List.of(
                "dfs.namenode.http-address",
                "dfs.namenode.https-address",
                "dfs.datanode.address",
                "dfs.datanode.http.address",
                "dfs.datanode.https.address",
                "dfs.datanode.ipc.address")) {
            configuration.set(key, "127.0.0.1:0");
        }
        configuration.setBoolean("dfs.permissions.enabled", true);
        // Test users exist only in HDFS: map their groups statically instead of asking the operating system.
        configuration.set("hadoop.user.group.static.mapping.overrides", "%s=%s;%s=%s".formatted(USER, USER, OTHER_USER, OTHER_USER));
        MiniDFSCluster cluster = null;
        try {
            cluster = new MiniDFSCluster.Builder(configuration, workDirectory.toFile())
                    .numDataNodes(1)
                    .nameNodePort(0)
                    // Keeps the data node addresses configured above instead of the builder's own.
                    .checkDataNodeAddrConfig(true)
                    .build();
            cluster.waitActive();
            FileSystem administrator = cluster.getFileSystem();
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(ROOT_DIRECTORY);
            administrator.mkdirs(root, new FsPermission((short) 0755));
            administrator.setOwner(root, USER, USER);
            return new HdfsServer(cluster, administrator);
        }
        catch (IOException exception) {
            shutDown(cluster);
            throw new UncheckedIOException("cannot start HDFS in " + workDirectory, exception);
        }
        catch (RuntimeException exception) {
            shutDown(cluster);
            throw exception;
        }
    }

    private static void shutDown(MiniDFSCluster cluster) {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    /** The name node's address, for example {@code hdfs://127.0.0.1:40123}, without a trailing slash. */
    public String uri() {
        return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    /** {@link #ROOT_DIRECTORY} as a location. */
    public Location rootLocation() {
        return Location.parse(uri() + ROOT_DIRECTORY);
    }

    /** A file system acting as the HDFS super user, to arrange what a test needs (owners, modes). */
    public FileSystem administrator() {
        return administrator;
    }

    /** A profile of the {@code hdfs} backend serving {@link #ROOT_DIRECTORY} as {@link #USER}, with extra properties. */
    public StorageProfile profile(String name, Map<String, String> properties) {
        return profile(name, List.of(rootLocation()), properties);
    }

    /**
     * A profile of the {@code hdfs} backend serving the roots as {@link #USER} unless the properties name
     * another user. Closing a file waits for the data node to report its last block; the client polls
     * the name node after 400 ms by default, which makes each small file cost about 300 ms here: the
     * profile polls after 10 ms instead.
     */
    public StorageProfile profile(String name, List<Location> roots, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>();
        all.put("user", USER);
        all.put("hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "10");
        all.putAll(properties);
        return new StorageProfile(name, "hdfs", roots, Optional.empty(), Optional.empty(), all);
    }

    /**
     * Writes an {@code hdfs-site.xml} into a directory that defines an HA name service of that name
     * whose only name node is this cluster's, as a cluster's client configuration would: locations
     * {@code hdfs://<nameService>/...} then reach this cluster through a profile whose
     * {@code configuration-directory} is that directory.
     */
    public void writeNameServiceConfiguration(Path directory, String nameService) {
        requireNonNull(directory, "directory is null");
        requireNonNull(nameService, "nameService is null");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("dfs.nameservices", nameService);
        properties.put("dfs.ha.namenodes." + nameService, "nn1");
        properties.put("dfs.namenode.rpc-address.%s.nn1".formatted(nameService), "127.0.0.1:" + cluster.getNameNodePort());
        properties.put("dfs.client.failover.proxy.provider." + nameService, "org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        properties.forEach((name, value) -> xml.append("  <property><name>%s</name><value>%s</value></property>\n".formatted(name, value)));
        xml.append("</configuration>\n");
        try {
            Files.writeString(directory.resolve("hdfs-site.xml"), xml);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    @Override
    public void close() {
        try {
            administrator.close();
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
        finally {
            cluster.shutdown(true);
        }
    }
}
