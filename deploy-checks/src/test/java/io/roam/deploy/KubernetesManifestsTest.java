package io.roam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Kustomize directory of deploy/ renders to objects that are valid for Kubernetes and its operators,
 * and gives Roam's services what they read: their ports, probes, environment and storage profiles.
 */
class KubernetesManifestsTest {

    private static final SchemaCatalog SCHEMAS = new SchemaCatalog();

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/dev", "deploy/overlays/production"})
    void rendersOnlyObjectsValidAgainstTheSchemasOfTheirKinds(String directory) {
        Manifests manifests = Manifests.render(directory);

        List<String> problems = new ArrayList<>();
        for (JsonNode object : manifests.objects()) {
            SCHEMAS.validate(object).forEach(problem -> problems.add(Manifests.describe(object) + ": " + problem));
        }

        assertThat(manifests.objects()).isNotEmpty();
        assertThat(problems).as("schema problems in %s", directory).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/dev", "deploy/overlays/production"})
    void deploysEachServiceFromItsImageOnItsHttpPortWithHealthProbes(String directory) {
        Manifests manifests = Manifests.render(directory);

        assertThat(RoamContainer.in(manifests)).extracting(RoamContainer::service).containsExactlyInAnyOrder(RoamService.values());
        for (RoamContainer container : RoamContainer.in(manifests)) {
            JsonNode spec = container.container();
            assertThat(spec.path("image").asText()).as("%s image", container).isEqualTo(container.service().image());
            assertThat(container.port("http")).as("%s port http", container).isEqualTo(container.service().httpPort());
            assertThat(probePath(spec.path("startupProbe"))).as("%s startup probe", container).isEqualTo("/q/health/started");
            assertThat(probePath(spec.path("readinessProbe"))).as("%s readiness probe", container).isEqualTo("/q/health/ready");
            assertThat(probePath(spec.path("livenessProbe"))).as("%s liveness probe", container).isEqualTo("/q/health/live");
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                assertThat(spec.path(probe).path("httpGet").path("port").asText()).as("%s %s port", container, probe).isEqualTo("http");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/dev", "deploy/overlays/production"})
    void runsEachServiceAsANonRootUserWithBoundedResourcesSpreadOverNodes(String directory) {
        for (RoamContainer container : RoamContainer.in(Manifests.render(directory))) {
            JsonNode pod = container.podSpec();
            JsonNode spec = container.container();
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as("%s runAsNonRoot", container).isTrue();
            assertThat(pod.path("securityContext").path("runAsUser").asInt()).as("%s runAsUser (the image's user)", container).isEqualTo(185);
            assertThat(spec.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).as("%s allowPrivilegeEscalation", container).isFalse();
            assertThat(spec.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as("%s readOnlyRootFilesystem", container).isTrue();
            assertThat(spec.path("resources").path("requests").has("cpu")).as("%s requests cpu", container).isTrue();
            assertThat(spec.path("resources").path("requests").has("memory")).as("%s requests memory", container).isTrue();
            assertThat(spec.path("resources").path("limits").has("memory")).as("%s limits memory", container).isTrue();
            assertThat(pod.path("topologySpreadConstraints")).as("%s topology spread", container).isNotEmpty();
            assertThat(pod.path("serviceAccountName").asText()).as("%s service account", container).isEqualTo("roam");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/dev", "deploy/overlays/production"})
    void coversEachServiceWithADisruptionBudgetAndAServiceOnItsHttpPort(String directory) {
        Manifests manifests = Manifests.render(directory);
        for (RoamContainer container : RoamContainer.in(manifests)) {
            assertThat(manifests.ofKind("PodDisruptionBudget"))
                    .as("a PodDisruptionBudget selecting %s", container)
                    .anySatisfy(budget -> assertThat(selects(budget.path("spec").path("selector").path("matchLabels"), container.podLabels())).isTrue());
            assertThat(manifests.ofKind("Service"))
                    .as("a Service selecting %s and sending to its port http", container)
                    .anySatisfy(service -> {
                        assertThat(selects(service.path("spec").path("selector"), container.podLabels())).isTrue();
                        assertThat(service.path("spec").path("ports")).anySatisfy(port ->
                                assertThat(port.path("targetPort").asText()).isIn("http", String.valueOf(container.port("http"))));
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/dev", "deploy/overlays/production"})
    void givesEachServiceOnlyEnvironmentVariablesItReads(String directory) {
        for (RoamContainer container : RoamContainer.in(Manifests.render(directory))) {
            Set<String> profileVariables = container.storageProfiles().environmentVariables();
            assertThat(container.environment().keySet())
                    .as("environment variables of %s in %s that %s does not read", container, directory, container.service())
                    .allSatisfy(name -> assertThat(container.service().reads(name, profileVariables)).as(name).isTrue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/dev", "deploy/overlays/production"})
    void givesEveryServiceStorageProfilesItAcceptsAndTheWorkerTheSecretsTheyName(String directory) {
        Manifests manifests = Manifests.render(directory);
        for (RoamContainer container : RoamContainer.in(manifests)) {
            assertThat(container.storageProfiles().profiles()).as("storage profiles of %s", container).isNotEmpty();
        }
        RoamContainer worker = RoamContainer.of(manifests, RoamService.TRANSFER_WORKER);
        Map<String, String> environment = worker.environment();
        assertThat(worker.storageProfiles().environmentVariables())
                .as("variables the storage profiles of %s read secrets from", directory)
                .allSatisfy(variable -> assertThat(environment).containsKey(variable));
    }

    private static String probePath(JsonNode probe) {
        return probe.path("httpGet").path("path").asText();
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> label : selector.properties()) {
            if (!labels.path(label.getKey()).asText().equals(label.getValue().asText())) {
                return false;
            }
        }
        return true;
    }
}
