package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.devstack.RegistryClient.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every endpoint of the registry through raw HTTP, as a client written against Confluent's documentation would
 * call it, against the shared local stack. Subjects and record names are unique per test, since the stack (and
 * the global id sequence) is shared by the whole run.
 */
@ExtendWith(LocalStackExtension.class)
class SchemaRegistryIT {

    private final LocalStack stack;
    private final RegistryClient registry;
    private String prefix;

    SchemaRegistryIT(LocalStack stack) {
        this.stack = stack;
        this.registry = new RegistryClient(stack.schemaRegistryUrl());
    }

    @BeforeEach
    void uniqueNames(TestInfo test) {
        prefix = test.getTestMethod().orElseThrow().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A record schema named uniquely for this test, with the given extra fields after {@code id: string}. */
    private String record(String name, String... extraFields) {
        StringBuilder fields = new StringBuilder("{\"name\":\"id\",\"type\":\"string\"}");
        for (String field : extraFields) {
            fields.append(',').append(field);
        }
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"it."
                + prefix.replaceAll("[^A-Za-z0-9]", "_") + "\",\"fields\":[" + fields + "]}";
    }

    private static String canonical(String schema) {
        return new Schema.Parser().parse(schema).toString();
    }

    private static void assertError(Response response, int status, int errorCode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errorCode()).as(response.body()).isEqualTo(errorCode);
        assertThat(response.json().get("message").asText()).isNotBlank();
        assertThat(response.contentType()).isEqualTo(RegistryClient.MEDIA_TYPE);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asInt()));
        return values;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    @Test
    void registeringTheSameSchemaAgainReturnsItsIdWithoutANewVersion() {
        String subject = prefix + "-value";
        String schema = record("Click");
        Response first = registry.post("/subjects/" + subject + "/versions", registry.schemaBody(schema));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).isEqualTo(RegistryClient.MEDIA_TYPE);
        int id = first.json().get("id").asInt();
        assertThat(first.json().size()).as("only the id: %s", first.body()).isEqualTo(1);

        String reformatted = "{ \"type\" : \"record\",\n  \"name\" : \"Click\", \"namespace\":\"it."
                + prefix.replaceAll("[^A-Za-z0-9]", "_")
                + "\",\n \"fields\" : [ {\"type\":\"string\",\"name\":\"id\"} ] }";
        assertThat(registry.register(subject, reformatted)).as("same parsed schema, same id").isEqualTo(id);
        assertThat(ints(registry.get("/subjects/" + subject + "/versions").json())).containsExactly(1);
    }

    @Test
    void theSameSchemaUnderAnotherSubjectGetsTheSameGlobalId() {
        String schema = record("Shared");
        int id = registry.register(prefix + "-a", schema);
        assertThat(registry.register(prefix + "-b", schema)).isEqualTo(id);
        assertThat(registry.register(prefix + "-c", record("Other"))).isNotEqualTo(id);

        assertThat(texts(registry.get("/schemas/ids/" + id + "/subjects").json()))
                .containsExactly(prefix + "-a", prefix + "-b");
        JsonNode versions = registry.get("/schemas/ids/" + id + "/versions").json();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("subject").asText()).isEqualTo(prefix + "-a");
        assertThat(versions.get(0).get("version").asInt()).isEqualTo(1);
    }

    @Test
    void versionsAreReadByNumberLatestAndMinusOne() {
        String subject = prefix + "-value";
        String v1 = record("Click");
        String v2 = record("Click", "{\"name\":\"page\",\"type\":\"string\",\"default\":\"\"}");
        int id1 = registry.register(subject, v1);
        int id2 = registry.register(subject, v2);
        assertThat(id2).isNotEqualTo(id1);

        assertThat(ints(registry.get("/subjects/" + subject + "/versions").json())).containsExactly(1, 2);
        for (String version : new String[] {"latest", "-1", "2"}) {
            Response latest = registry.get("/subjects/" + subject + "/versions/" + version);
            assertThat(latest.status()).isEqualTo(200);
            assertThat(latest.json().get("subject").asText()).isEqualTo(subject);
            assertThat(latest.json().get("version").asInt()).isEqualTo(2);
            assertThat(latest.json().get("id").asInt()).isEqualTo(id2);
            assertThat(latest.json().get("schema").asText()).isEqualTo(canonical(v2));
        }
        assertThat(registry.get("/subjects/" + subject + "/versions/1").json().get("id").asInt()).isEqualTo(id1);

        Response raw = registry.get("/subjects/" + subject + "/versions/1/schema");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(canonical(v1));
        assertThat(ints(registry.get("/subjects/" + subject + "/versions/1/referencedby").json())).isEmpty();
        assertThat(texts(registry.get("/subjects").json())).contains(subject);
        assertThat(texts(registry.get("/subjects?subjectPrefix=" + prefix).json())).containsExactly(subject);
    }

    @Test
    void schemasAreReadByGlobalId() {
        String schema = record("ById");
        int id = registry.register(prefix + "-value", schema);
        Response byId = registry.get("/schemas/ids/" + id);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.json().get("schema").asText()).isEqualTo(canonical(schema));
        assertThat(registry.get("/schemas/ids/" + id + "/schema").body()).isEqualTo(canonical(schema));

        Response missing = registry.get("/schemas/ids/987654");
        assertError(missing, 404, 40403);
        assertThat(missing.json().get("message").asText()).isEqualTo("Schema 987654 not found");
        assertError(registry.get("/schemas/ids/987654/subjects"), 404, 40403);
        assertError(registry.get("/schemas/ids/987654/versions"), 404, 40403);
        assertError(registry.get("/schemas/ids/notanumber"), 404, 404);
    }

    @Test
    void fixedEndpointsAnswerLikeConfluent() {
        assertThat(texts(registry.get("/schemas/types").json())).containsExactly("AVRO");
        assertThat(registry.get("/").json().isObject()).isTrue();
        assertThat(registry.get("/mode").json().get("mode").asText()).isEqualTo("READWRITE");
    }

    @Test
    void unknownSubjectsAndVersionsGetTheirOwnErrorCodes() {
        String subject = prefix + "-value";
        assertError(registry.get("/subjects/" + subject + "/versions"), 404, 40401);
        assertError(registry.get("/subjects/" + subject + "/versions/1"), 404, 40401);
        assertError(registry.get("/subjects/" + subject + "/versions/latest"), 404, 40401);
        assertThat(registry.get("/subjects/" + subject + "/versions").json().get("message").asText())
                .isEqualTo("Subject '" + subject + "' not found.");
        registry.register(subject, record("Click"));
        assertError(registry.get("/subjects/" + subject + "/versions/99"), 404, 40402);
        assertError(registry.get("/subjects/" + subject + "/versions/99/schema"), 404, 40402);
        assertError(registry.get("/subjects/" + subject + "/versions/abc"), 422, 42202);
        assertError(registry.get("/subjects/" + subject + "/versions/0"), 422, 42202);
    }

    @Test
    void lookupTellsWhetherASchemaIsRegisteredUnderASubject() {
        String subject = prefix + "-value";
        String schema = record("Click");
        assertError(registry.post("/subjects/" + subject, registry.schemaBody(schema)), 404, 40401);
        int id = registry.register(subject, schema);

        Response found = registry.post("/subjects/" + subject, registry.schemaBody(schema));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("subject").asText()).isEqualTo(subject);
        assertThat(found.json().get("id").asInt()).isEqualTo(id);
        assertThat(found.json().get("version").asInt()).isEqualTo(1);
        assertThat(found.json().get("schema").asText()).isEqualTo(canonical(schema));

        assertError(registry.post("/subjects/" + subject, registry.schemaBody(record("Unregistered"))), 404, 40403);
        assertError(registry.post("/subjects/" + subject, registry.schemaBody("{\"type\":\"recrod\"}")), 422, 42201);
    }

    @Test
    void aBackwardIncompatibleSchemaIsRefusedWith409() {
        String subject = prefix + "-value";
        registry.register(subject, record("Click"));
        Response refused = registry.post("/subjects/" + subject + "/versions",
                registry.schemaBody(record("Click", "{\"name\":\"page\",\"type\":\"string\"}")));
        assertError(refused, 409, 409);
        assertThat(refused.json().get("message").asText())
                .startsWith("Schema being registered is incompatible with an earlier schema for subject \""
                        + subject + "\"")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(ints(registry.get("/subjects/" + subject + "/versions").json())).containsExactly(1);
    }

    @Test
    void invalidSchemasAndRequestsAreRefusedWith422() {
        String path = "/subjects/" + prefix + "-value/versions";
        assertError(registry.post(path, registry.schemaBody("{\"type\":\"recrod\",\"name\":\"X\"}")), 422, 42201);
        assertError(registry.post(path, registry.schemaBody("not a schema")), 422, 42201);
        assertError(registry.post(path, registry.schemaBody("")), 422, 42201);
        assertError(registry.post(path, "{\"schemaType\":\"AVRO\"}"), 422, 42201);
        assertError(registry.post(path, registry.json(Map.of("schema", "syntax = \"proto3\";",
                "schemaType", "PROTOBUF"))), 422, 42201);
        assertError(registry.get("/subjects/" + prefix + "-value/versions"), 404, 40401);
    }

    @Test
    void compatibilityChecksAnswerWithoutRegistering() {
        String subject = prefix + "-value";
        String compatible = registry.schemaBody(record("Click", "{\"name\":\"p\",\"type\":\"int\",\"default\":0}"));
        String incompatible = registry.schemaBody(record("Click", "{\"name\":\"p\",\"type\":\"int\"}"));
        String base = "/compatibility/subjects/" + subject + "/versions";

        assertThat(registry.post(base + "/latest", incompatible).json().get("is_compatible").asBoolean())
                .as("nothing registered: nothing to be incompatible with").isTrue();
        assertError(registry.post(base + "/1", compatible), 404, 40401);

        registry.register(subject, record("Click"));
        Response yes = registry.post(base + "/latest", compatible);
        assertThat(yes.status()).isEqualTo(200);
        assertThat(yes.json().get("is_compatible").asBoolean()).isTrue();
        assertThat(yes.json().has("messages")).isFalse();
        assertThat(registry.post(base + "/1", incompatible).json().get("is_compatible").asBoolean()).isFalse();
        assertThat(registry.post(base, incompatible).json().get("is_compatible").asBoolean()).isFalse();
        assertThat(registry.post(base, compatible).json().get("is_compatible").asBoolean()).isTrue();

        Response verbose = registry.post(base + "/latest?verbose=true", incompatible);
        assertThat(verbose.json().get("is_compatible").asBoolean()).isFalse();
        assertThat(texts(verbose.json().get("messages")))
                .anySatisfy(m -> assertThat(m).contains("READER_FIELD_MISSING_DEFAULT_VALUE"))
                .contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}");
        assertThat(registry.post(base + "/latest?verbose=true", compatible).json().get("messages")).isEmpty();

        assertError(registry.post(base + "/99", compatible), 404, 40402);
        assertError(registry.post(base + "/zero", compatible), 422, 42202);
        assertError(registry.post(base + "/latest", registry.schemaBody("{\"type\":1}")), 422, 42201);
        assertThat(ints(registry.get("/subjects/" + subject + "/versions").json())).containsExactly(1);
    }

    @Test
    void subjectConfigOverridesTheGlobalLevel() {
        String subject = prefix + "-value";
        Response global = registry.get("/config");
        assertThat(global.status()).isEqualTo(200);
        assertThat(global.json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        assertError(registry.get("/config/" + subject), 404, 40408);
        assertThat(registry.get("/config/" + subject + "?defaultToGlobal=true").json()
                .get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        Response set = registry.put("/config/" + subject, "{\"compatibility\":\"FORWARD\"}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("compatibility").asText()).isEqualTo("FORWARD");
        assertThat(registry.get("/config/" + subject).json().get("compatibilityLevel").asText()).isEqualTo("FORWARD");

        registry.register(subject, record("Click", "{\"name\":\"p\",\"type\":\"int\"}"));
        // FORWARD: a new required field is fine (old readers ignore it); dropping a required one is not.
        assertThat(registry.register(subject, record("Click", "{\"name\":\"p\",\"type\":\"int\"}",
                "{\"name\":\"q\",\"type\":\"int\"}"))).isPositive();
        assertError(registry.post("/subjects/" + subject + "/versions", registry.schemaBody(record("Click"))),
                409, 409);

        assertError(registry.put("/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        Response deleted = registry.delete("/config/" + subject);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("compatibilityLevel").asText()).isEqualTo("FORWARD");
        assertError(registry.get("/config/" + subject), 404, 40408);
        assertError(registry.delete("/config/" + subject), 404, 40408);
        assertError(registry.delete("/config/" + prefix + "-never-registered"), 404, 40401);
    }

    @Test
    void theGlobalLevelCanBeChangedAndReset() {
        try {
            Response set = registry.put("/config", "{\"compatibility\":\"NONE\"}");
            assertThat(set.json().get("compatibility").asText()).isEqualTo("NONE");
            assertThat(registry.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("NONE");
            String subject = prefix + "-value";
            registry.register(subject, record("Click"));
            assertThat(registry.register(subject, record("Click", "{\"name\":\"p\",\"type\":\"int\"}")))
                    .as("NONE accepts anything").isPositive();
            assertError(registry.put("/config", "{\"compatibility\":42}"), 422, 42203);
        } finally {
            Response reset = registry.delete("/config");
            assertThat(reset.status()).isEqualTo(200);
        }
        assertThat(registry.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void softDeletesHideVersionsButKeepIdsAndPermanentDeletesRemoveThem() {
        String subject = prefix + "-value";
        String v1 = record("Click");
        String v2 = record("Click", "{\"name\":\"p\",\"type\":\"int\",\"default\":0}");
        int id1 = registry.register(subject, v1);
        int id2 = registry.register(subject, v2);

        Response deletedVersion = registry.delete("/subjects/" + subject + "/versions/2");
        assertThat(deletedVersion.status()).isEqualTo(200);
        assertThat(deletedVersion.json().asInt()).isEqualTo(2);
        assertThat(ints(registry.get("/subjects/" + subject + "/versions").json())).containsExactly(1);
        assertError(registry.get("/subjects/" + subject + "/versions/2"), 404, 40402);
        assertThat(registry.get("/subjects/" + subject + "/versions/2?deleted=true").json().get("id").asInt())
                .isEqualTo(id2);
        assertThat(registry.get("/schemas/ids/" + id2).status()).as("ids outlive soft deletes").isEqualTo(200);
        assertError(registry.delete("/subjects/" + subject + "/versions/2"), 404, 40406);
        assertError(registry.delete("/subjects/" + subject + "/versions/1?permanent=true"), 404, 40407);

        Response deletedSubject = registry.delete("/subjects/" + subject);
        assertThat(deletedSubject.status()).isEqualTo(200);
        assertThat(ints(deletedSubject.json())).containsExactly(1);
        assertThat(texts(registry.get("/subjects").json())).doesNotContain(subject);
        assertThat(texts(registry.get("/subjects?deleted=true").json())).contains(subject);
        assertError(registry.get("/subjects/" + subject + "/versions"), 404, 40401);
        assertThat(ints(registry.get("/subjects/" + subject + "/versions?deleted=true").json())).containsExactly(1, 2);
        assertError(registry.delete("/subjects/" + subject), 404, 40404);

        // Versions keep counting after a soft delete; the schema keeps its id.
        assertThat(registry.register(subject, v1)).isEqualTo(id1);
        assertThat(ints(registry.get("/subjects/" + subject + "/versions").json())).containsExactly(3);
        assertError(registry.delete("/subjects/" + subject + "?permanent=true"), 404, 40405);

        assertThat(ints(registry.delete("/subjects/" + subject).json())).containsExactly(3);
        Response purged = registry.delete("/subjects/" + subject + "?permanent=true");
        assertThat(purged.status()).isEqualTo(200);
        assertThat(ints(purged.json())).containsExactly(1, 2, 3);
        assertThat(texts(registry.get("/subjects?deleted=true").json())).doesNotContain(subject);
        assertError(registry.get("/schemas/ids/" + id1), 404, 40403);
        assertError(registry.get("/schemas/ids/" + id2), 404, 40403);
        assertError(registry.delete("/subjects/" + subject), 404, 40401);

        // After a permanent delete the subject starts again at version 1.
        registry.register(subject, v2);
        assertThat(ints(registry.get("/subjects/" + subject + "/versions").json())).containsExactly(1);
    }

    @Test
    void everyAcceptedMediaTypeWorksAndOthersAreRefused() {
        String path = "/subjects/" + prefix + "-value/versions";
        String body = registry.schemaBody(record("Click"));
        assertThat(registry.post(path, body, "application/json").status()).isEqualTo(200);
        assertThat(registry.post(path, body, "application/vnd.schemaregistry+json").status()).isEqualTo(200);
        assertThat(registry.post(path, body, "application/vnd.schemaregistry.v1+json; charset=utf-8").status())
                .isEqualTo(200);
        assertError(registry.post(path, body, "text/plain"), 415, 415);
    }

    @Test
    void malformedRequestsGetAClearJsonErrorNeverAStackTrace() {
        String path = "/subjects/" + prefix + "-value/versions";
        Response malformed = registry.post(path, "{\"schema\": ");
        assertError(malformed, 400, 400);
        assertThat(malformed.json().get("message").asText()).startsWith("Malformed JSON").doesNotContain("\tat ");
        assertError(registry.post(path, "[\"schema\"]"), 400, 400);
        assertError(registry.post(path, ""), 400, 400);
        assertError(registry.put("/config", "{compatibility: FULL}"), 400, 400);
        assertError(registry.get("/nowhere"), 404, 404);
        assertError(registry.get("/subjects/a/b/c/d/e"), 404, 404);
        assertError(registry.put("/subjects", "{}"), 405, 405);
        assertError(registry.get("/subjects/" + prefix), 405, 405);
    }

    @Test
    void concurrentRegistrationsAgreeOnIdsAndVersions() throws Exception {
        List<String> subjects = List.of(prefix + "-a", prefix + "-b");
        for (String subject : subjects) {
            registry.put("/config/" + subject, "{\"compatibility\":\"NONE\"}");
        }
        List<String> schemas = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            schemas.add(record("Concurrent" + i));
        }
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Map<String, Integer>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                Callable<Map<String, Integer>> task = () -> {
                    start.await();
                    Map<String, Integer> ids = new HashMap<>();
                    for (int i = 0; i < schemas.size(); i++) {
                        // Each thread walks the schemas from another starting point to mix the orders.
                        String schema = schemas.get((i + offset) % schemas.size());
                        String subject = subjects.get((i + offset) % subjects.size());
                        int id = registry.register(subject, schema);
                        Integer before = ids.put(schema, id);
                        assertThat(before == null || before == id).isTrue();
                    }
                    return ids;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            Map<String, Integer> first = results.get(0).get(60, TimeUnit.SECONDS);
            for (Future<Map<String, Integer>> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(first);
            }
            assertThat(first.values()).as("distinct schemas, distinct ids").doesNotHaveDuplicates().hasSize(6);
            for (String subject : subjects) {
                List<Integer> versions = ints(registry.get("/subjects/" + subject + "/versions").json());
                assertThat(versions).as("versions without gaps or repeats")
                        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, versions.size()).boxed().toList());
                for (int version : versions) {
                    JsonNode entry = registry.get("/subjects/" + subject + "/versions/" + version).json();
                    assertThat(first.get(entry.get("schema").asText())).isEqualTo(entry.get("id").asInt());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idsVersionsAndConfigsSurviveARegistryRestart() {
        String subject = prefix + "-value";
        String other = prefix + "-other";
        int id1 = registry.register(subject, record("Click"));
        int id2 = registry.register(subject, record("Click", "{\"name\":\"p\",\"type\":\"int\",\"default\":0}"));
        int id3 = registry.register(other, record("Other"));
        registry.put("/config/" + subject, "{\"compatibility\":\"FULL\"}");
        registry.delete("/subjects/" + other);
        String latestBefore = registry.get("/subjects/" + subject + "/versions/latest").body();
        String urlBefore = stack.schemaRegistryUrl();

        stack.restartSchemaRegistry();

        assertThat(stack.schemaRegistryUrl()).as("clients keep their URL").isEqualTo(urlBefore);
        // A fresh client: connections pooled before the restart were closed by the old server.
        RegistryClient restarted = new RegistryClient(stack.schemaRegistryUrl());
        assertThat(restarted.get("/subjects/" + subject + "/versions/latest").body()).isEqualTo(latestBefore);
        assertThat(ints(restarted.get("/subjects/" + subject + "/versions").json())).containsExactly(1, 2);
        assertThat(restarted.get("/schemas/ids/" + id1).json().get("schema").asText())
                .isEqualTo(canonical(record("Click")));
        assertThat(restarted.get("/schemas/ids/" + id3).status()).as("soft-deleted, still resolvable").isEqualTo(200);
        assertThat(texts(restarted.get("/subjects").json())).contains(subject).doesNotContain(other);
        assertThat(restarted.get("/config/" + subject).json().get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(restarted.register(subject, record("Click"))).as("known schema, known id").isEqualTo(id1);
        int id4 = restarted.register(subject, record("Click", "{\"name\":\"p\",\"type\":\"int\",\"default\":0}",
                "{\"name\":\"q\",\"type\":\"int\",\"default\":0}"));
        assertThat(id4).as("new ids continue after the old ones").isGreaterThan(Math.max(id2, id3));
        assertThat(ints(restarted.get("/subjects/" + subject + "/versions").json())).containsExactly(1, 2, 3);
    }
}
