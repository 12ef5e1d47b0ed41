package io.roam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema checks catch the mistakes they exist for: unknown fields, wrong types, missing fields. */
class SchemaCatalogTest {

    private final SchemaCatalog schemas = new SchemaCatalog();

    @Test
    void acceptsAValidDeployment() {
        assertThat(schemas.validate(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: roam-gateway}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: roam}}
                  template:
                    metadata: {labels: {app: roam}}
                    spec:
                      containers:
                        - name: gateway
                          image: roam/roam-gateway:1
                          resources: {requests: {cpu: 250m, memory: 512Mi}}
                          readinessProbe: {httpGet: {path: /q/health/ready, port: http}}
                """))).isEmpty();
    }

    @Test
    void refusesAMisspelledFieldOfABuiltInKind() {
        assertThat(schemas.validate(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: roam-gateway}
                spec:
                  selector: {matchLabels: {app: roam}}
                  template:
                    spec:
                      containers:
                        - name: gateway
                          image: roam/roam-gateway:1
                          readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}
                """))).singleElement().asString().contains("readinesProbe");
    }

    @Test
    void refusesAValueOfTheWrongType() {
        assertThat(schemas.validate(yaml("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: roam-gateway}
                spec:
                  maxUnavailable: [1]
                  selector: {matchLabels: {app: roam}}
                """))).isNotEmpty().anySatisfy(message -> assertThat(message).contains("maxUnavailable"));
    }

    @Test
    void refusesAnUnknownFieldOfAStrimziResource() {
        assertThat(schemas.validate(yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: roam.transfer-requests, labels: {strimzi.io/cluster: roam}}
                spec: {partitions: 6, replicas: 1, retention: 7d}
                """))).singleElement().asString().contains("retention");
    }

    @Test
    void refusesAStrimziFieldOfTheWrongType() {
        assertThat(schemas.validate(yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: roam.transfer-requests}
                spec: {partitions: six}
                """))).isNotEmpty().anySatisfy(message -> assertThat(message).contains("partitions"));
    }

    @Test
    void refusesAKedaScaledObjectWithoutItsTarget() {
        assertThat(schemas.validate(yaml("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: roam-transfer-worker}
                spec:
                  triggers: [{type: kafka, metadata: {topic: roam.transfer-requests}}]
                """))).singleElement().asString().contains("scaleTargetRef");
    }

    @Test
    void refusesAnUnknownFieldOfACloudNativePgCluster() {
        assertThat(schemas.validate(yaml("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: roam-postgres}
                spec: {instances: 1, storage: {size: 5Gi}, replicas: 3}
                """))).singleElement().asString().contains("replicas");
    }

    @Test
    void namesAKindItHasNoSchemaFor() {
        assertThatThrownBy(() -> schemas.validate(yaml("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: roam}
                """)))
                .hasMessageContaining("no schema vendored for networking.k8s.io/v1 Ingress")
                .hasMessageContaining("update-schemas.sh");
    }

    private static JsonNode yaml(String text) {
        try {
            return Manifests.YAML.readTree(text);
        }
        catch (IOException exception) {
            throw new AssertionError(exception);
        }
    }
}
