package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryJsonTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSchemaRequestCarriesTheSchemaTextAndIgnoresFieldsItDoesNotUse() {
        assertThat(RegistryJson.schemaRequest(bytes("{\"schema\":\"\\\"string\\\"\",\"schemaType\":\"AVRO\","
                + "\"references\":[],\"metadata\":null,\"version\":3}")).schema()).isEqualTo("\"string\"");
        assertThat(RegistryJson.schemaRequest(bytes("{\"schema\":\"\\\"int\\\"\"}")).schema()).isEqualTo("\"int\"");
    }

    @ParameterizedTest(name = "{0} -> {1}/{2}")
    @CsvSource(delimiter = '|', value = {
            "{}                                                    | 422 | 42201 | no \"schema\" field",
            "{\"schema\":{\"type\":\"string\"}}                    | 422 | 42201 | must be a string",
            "{\"schema\":\"x\",\"schemaType\":\"PROTOBUF\"}        | 422 | 42201 | PROTOBUF",
            "{\"schema\":\"x\",\"references\":[{\"name\":\"r\"}]}  | 422 | 42201 | references are not supported",
            "{\"schema\":                                          | 400 | 400   | Malformed JSON",
            "[1,2]                                                 | 400 | 400   | must be a JSON object",
            "''                                                    | 400 | 400   | empty"})
    void badSchemaRequestsGetConfluentsStatusAndCode(String body, int status, int code, String message) {
        assertThatThrownBy(() -> RegistryJson.schemaRequest(bytes(body)))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(status);
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void configRequestsNameALevel() {
        assertThat(RegistryJson.configRequest(bytes("{\"compatibility\":\"full\"}")))
                .isEqualTo(CompatibilityLevel.FULL);
        for (String body : new String[] {"{\"compatibility\":\"SIDEWAYS\"}", "{}", "{\"compatibility\":null}"}) {
            assertThatThrownBy(() -> RegistryJson.configRequest(bytes(body)))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(422);
                        assertThat(e.errorCode()).isEqualTo(42203);
                    });
        }
    }

    @Test
    void errorsAreConfluentsErrorObject() {
        assertThat(new String(RegistryJson.error(40401, "Subject 'x' not found."), StandardCharsets.UTF_8))
                .isEqualTo("{\"error_code\":40401,\"message\":\"Subject 'x' not found.\"}");
    }

    @Test
    void versionsAreLatestMinusOneOrPositive() {
        assertThat(SchemaRegistryService.parseVersion("latest")).isEqualTo(-1);
        assertThat(SchemaRegistryService.parseVersion("-1")).isEqualTo(-1);
        assertThat(SchemaRegistryService.parseVersion("12")).isEqualTo(12);
        for (String invalid : new String[] {"0", "-2", "one", "LATEST", "99999999999"}) {
            assertThatThrownBy(() -> SchemaRegistryService.parseVersion(invalid))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(422);
                        assertThat(e.errorCode()).isEqualTo(42202);
                        assertThat(e.getMessage()).contains("'" + invalid + "'");
                    });
        }
    }
}
