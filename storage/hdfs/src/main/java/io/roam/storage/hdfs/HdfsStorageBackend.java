package io.roam.storage.hdfs;

import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;

/**
 * HDFS, through the Hadoop client ({@code hadoop-client-api} and the shaded {@code hadoop-client-runtime},
 * whose dependencies are relocated so that they cannot clash with the application's). Serves
 * {@code hdfs://namenode:port/path} locations under the profile's roots, and {@code hdfs://nameservice/path}
 * for an HA name service defined in the profile's Hadoop configuration. HDFS refuses {@code :} in names,
 * and {@code /.reserved} is not a place for files: such locations are
 * {@link io.roam.storage.StorageErrorKind#INVALID_LOCATION invalid}.
 *
 * <p>Profile properties ({@code roam.storage.profiles.<name>.properties.<key>}), all optional:
 * <dl>
 *   <dt>{@code user}</dt>
 *   <dd>The user Roam acts as under simple authentication, whose permissions HDFS checks. Default: the
 *       Hadoop login user of the process ({@code HADOOP_USER_NAME}, else the operating system user).</dd>
 *   <dt>{@code configuration-directory}</dt>
 *   <dd>The path of a directory (typically a mounted config map) holding the cluster's
 *       {@code core-site.xml} and/or {@code hdfs-site.xml}, for example to define HA name services
 *       ({@code dfs.nameservices}, {@code dfs.ha.namenodes.<service>},
 *       {@code dfs.namenode.rpc-address.<service>.<namenode>},
 *       {@code dfs.client.failover.proxy.provider.<service>}).</dd>
 *   <dt>{@code hadoop.<key>}</dt>
 *   <dd>Any Hadoop configuration key, applied after the configuration directory's files: for example
 *       {@code hadoop.dfs.client.use.datanode.hostname=true} sets {@code dfs.client.use.datanode.hostname}
 *       (data nodes reached by host name, as from outside a Kubernetes cluster), {@code hadoop.dfs.blocksize},
 *       {@code hadoop.dfs.replication}. Never put a secret there: Hadoop's own secrets belong in a
 *       credential provider ({@code hadoop.hadoop.security.credential.provider.path} names its file).</dd>
 *   <dt>{@code kerberos-principal}, {@code kerberos-keytab-file}</dt>
 *   <dd>Reserved for Kerberos: a principal and the path of a mounted keytab. Kerberos login is not
 *       implemented yet, so a profile setting either, or {@code hadoop.security.authentication=kerberos}
 *       through its configuration, is refused when its file system is created, rather than run
 *       unauthenticated.</dd>
 * </dl>
 * Unknown properties are refused, so that a typo does not silently fall back to a default. Hadoop's
 * defaults, and a {@code core-site.xml} or {@code hdfs-site.xml} on the class path, apply underneath,
 * as for every Hadoop client.
 */
public final class HdfsStorageBackend implements StorageBackend {

    public static final String NAME = "hdfs";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Creates the file system without contacting the cluster: the first operation on each name node
     * connects.
     *
     * @throws IllegalArgumentException when a root is not an {@code hdfs://} location, a property is
     *     unknown or invalid, the configuration directory holds no readable configuration, or Kerberos
     *     is asked for
     */
    @Override
    public StorageFileSystem create(StorageProfile profile) {
        return new HdfsFileSystem(profile);
    }
}
