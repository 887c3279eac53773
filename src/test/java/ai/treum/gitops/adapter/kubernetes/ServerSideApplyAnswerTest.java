package ai.treum.gitops.adapter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.adapter.kubernetes.ServerSideApply.Answer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which answers of the API server an apply tries again: those that may pass, not a refusal of the object. */
class ServerSideApplyAnswerTest {

    @Test
    void aSchemaRejectionIsFinalThoughItComesAsA500() {
        Answer rejected = answer(500, "failed to create typed patch object (shop/web; apps/v1, Kind=Deployment): "
                + ".spec.replcas: field not declared in schema");

        assertThat(rejected.schemaRejected()).isTrue();
        assertThat(rejected.transientFailure()).isFalse();

        // kube-apiserver 1.35's answer to Secret data that is not base64 (it was retried for 100 s)
        Answer undecodable = answer(500, "failed to convert new object (shop/raw; /v1, Kind=Secret) to proper version: "
                + "unable to convert unstructured object to /v1, Kind=Secret: error decoding from json: illegal base64 data "
                + "at input byte 3");
        assertThat(undecodable.schemaRejected()).isTrue();
        assertThat(undecodable.transientFailure()).isFalse();
    }

    @Test
    void throttlingServerErrorsAndLostConnectionsAreTriedAgain() {
        assertThat(answer(429, "too many requests, please try again later").transientFailure()).isTrue();
        assertThat(answer(500, "etcdserver: request timed out").transientFailure()).isTrue();
        assertThat(answer(503, "the server is currently unable to handle the request").transientFailure()).isTrue();
        assertThat(new Answer(0, bytes("java.net.ConnectException: Connection refused"), 0, true).transientFailure()).isTrue();
    }

    @Test
    void verdictsOnTheObjectAreFinal() {
        assertThat(answer(422, "Service \"api\" is invalid: spec.ports[0].port: Invalid value: 70000").transientFailure()).isFalse();
        assertThat(answer(409, "Apply failed with 1 conflict").transientFailure()).isFalse();
        assertThat(new Answer(0, "no answer within 10000 ms").transientFailure()).isFalse();
    }

    private static Answer answer(int code, String message) {
        return new Answer(code, bytes("{\"kind\": \"Status\", \"apiVersion\": \"v1\", \"code\": " + code
                + ", \"message\": \"" + message.replace("\"", "\\\"") + "\"}"), 0, false);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
