package io.roam.endtoend;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code roam} script at the root of the repository, run as a user runs it after the build. */
class RoamScriptTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void copiesADirectoryInAJvmWithTheOptionsOfRoamJavaOptions() throws IOException, InterruptedException {
        Path source = Files.createDirectories(work.resolve("checkpoint"));
        Files.writeString(source.resolve("config.json"), "{\"step\": 100}", UTF_8);
        Files.write(Files.createDirectories(source.resolve("shards")).resolve("model-0.bin"), new byte[300_000]);
        Path target = work.resolve("replica");
        ProcessBuilder builder = new ProcessBuilder(REPOSITORY.resolve("roam").toString(), "-Duser.home=" + work,
                "cp", source + "/", target + "/")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("roam.log").toFile());
        builder.environment().put("ROAM_JAVA_OPTIONS", "-Xmx96m -XX:+PrintCommandLineFlags");

        Process roam = builder.start();
        try {
            assertThat(roam.waitFor(2, TimeUnit.MINUTES)).as("roam cp finished").isTrue();
        }
        finally {
            roam.destroyForcibly();
        }

        String output = Files.readString(work.resolve("roam.log"));
        assertThat(roam.exitValue()).as(output).isZero();
        assertThat(output).contains("-XX:MaxHeapSize=100663296").contains("Copied 2 files");
        assertThat(target.resolve("config.json")).hasSameTextualContentAs(source.resolve("config.json"));
        assertThat(target.resolve("shards/model-0.bin")).hasSameBinaryContentAs(source.resolve("shards/model-0.bin"));
    }
}
