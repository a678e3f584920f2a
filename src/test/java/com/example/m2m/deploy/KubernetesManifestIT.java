package com.example.m2m.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the manifests quarkus-kubernetes generated at package time, so that a configuration change cannot silently
 * drop a probe, the resource limits, the ConfigMap/Secret wiring, the Service or the autoscaler.
 */
class KubernetesManifestIT {

    private static final Path MANIFEST = Path.of("target", "kubernetes", "kubernetes.yml");
    private static final List<JsonNode> resources = new ArrayList<>();

    @BeforeAll
    static void read() throws IOException {
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(MANIFEST.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    resources.add(doc);
                }
            }
        }
    }

    private static JsonNode resource(String kind) {
        return resources.stream().filter(r -> kind.equals(r.path("kind").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + MANIFEST));
    }

    private static JsonNode container() {
        return resource("Deployment").at("/spec/template/spec/containers/0");
    }

    @Test
    void probesAreOnTheHealthEndpointsOfTheManagementPort() {
        JsonNode c = container();
        assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/started", c.at("/startupProbe/httpGet/path").asText());
        for (String probe : List.of("/livenessProbe", "/readinessProbe", "/startupProbe")) {
            assertEquals(9000, c.at(probe + "/httpGet/port").asInt(), probe);
        }
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        c.path("ports").forEach(port -> ports.add(port.path("containerPort").asInt()));
        assertEquals(java.util.Set.of(8080, 9000), ports, "the API's port and the management port (in any order)");
    }

    @Test
    void requestsAndLimitsAreSet() {
        JsonNode r = container().path("resources");
        for (String path : List.of("/requests/cpu", "/requests/memory", "/limits/cpu", "/limits/memory")) {
            assertFalse(r.at(path).asText().isEmpty(), "resources" + path);
        }
    }

    @Test
    void settingsComeFromAConfigMapAndCredentialsFromASecret() {
        JsonNode envFrom = container().path("envFrom");
        List<String> configMaps = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        envFrom.forEach(e -> {
            if (e.has("configMapRef")) {
                configMaps.add(e.at("/configMapRef/name").asText());
            }
            if (e.has("secretRef")) {
                secrets.add(e.at("/secretRef/name").asText());
            }
        });
        assertEquals(List.of("m2m-api-config"), configMaps);
        assertEquals(List.of("m2m-api-credentials"), secrets);
        assertTrue(resource("ConfigMap").at("/data/ISSUER").isTextual(), "the example ConfigMap sets ISSUER");
    }

    @Test
    void noSecretIsWrittenInline() {
        container().path("env").forEach(e -> {
            String name = e.path("name").asText().toUpperCase(Locale.ROOT);
            boolean looksSecret = name.contains("SECRET") || name.contains("PASSWORD") || name.contains("TOKEN");
            assertFalse(looksSecret && e.has("value"), "inline secret value for " + name);
        });
        assertTrue(resources.stream().noneMatch(r -> "Secret".equals(r.path("kind").asText())),
                "the manifests must not carry a Secret with values; it is created in the cluster");
    }

    @Test
    void runsAsNonRoot() {
        JsonNode pod = resource("Deployment").at("/spec/template/spec");
        JsonNode context = pod.path("securityContext");
        assertTrue(context.path("runAsNonRoot").asBoolean(), pod.toString());
    }

    @Test
    void aServiceAndAnAutoscalerForTheDeployment() {
        JsonNode service = resource("Service");
        assertEquals(8080, service.at("/spec/ports/0/targetPort").asInt());
        assertEquals(1, service.at("/spec/ports").size(), "the management port stays inside the pod");
        assertEquals("9000", service.at("/metadata/annotations/prometheus.io~1port").asText(), "metrics are scraped there");
        JsonNode hpa = resource("HorizontalPodAutoscaler");
        String deployment = resource("Deployment").at("/metadata/name").asText();
        assertEquals(deployment, hpa.at("/spec/scaleTargetRef/name").asText());
        assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
        assertTrue(hpa.at("/spec/maxReplicas").isInt(), hpa.toString());
        assertTrue(hpa.at("/spec/minReplicas").isInt(), hpa.toString());
        assertTrue(hpa.at("/spec/maxReplicas").asInt() > hpa.at("/spec/minReplicas").asInt());
    }

    /**
     * The optional Redis (deploy/redis.yml, README "Quotas"): a Service named as the documented REDIS_URL host, in
     * front of a Redis that takes its password from a Secret (never written in the manifest) and keeps nothing on
     * disk; and it is not in the generated manifest (applied only by those who want shared quotas).
     */
    @Test
    void theOptionalRedisIsItsOwnManifestWithItsPasswordFromASecret() throws IOException {
        List<JsonNode> redis = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(Path.of("deploy", "redis.yml").toFile())) {
            docs.forEachRemaining(redis::add);
        }
        JsonNode service = redis.stream().filter(r -> "Service".equals(r.path("kind").asText())).findFirst()
                .orElseThrow();
        assertEquals("m2m-api-redis", service.path("metadata").path("name").asText());
        assertEquals(6379, service.path("spec").path("ports").get(0).path("port").asInt());
        JsonNode container = redis.stream().filter(r -> "Deployment".equals(r.path("kind").asText())).findFirst()
                .orElseThrow().path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("m2m-api-redis", container.path("env").get(0).path("valueFrom").path("secretKeyRef")
                .path("name").asText());
        assertTrue(container.path("args").toString().contains("--requirepass"));
        assertTrue(container.path("args").toString().contains("\"--save\",\"\""), "no snapshot on disk");
        assertFalse(resources.stream().anyMatch(r -> r.path("metadata").path("name").asText().contains("redis")),
                "optional: not in the generated manifest");
    }
}
