package ai.treum.gitops.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionsTest {

    @Test
    void dropsUserInfoThatCarriesAToken() {
        assertThat(Redactions.url("https://x-access-token:ghp_s3cr3t@github.com/treum/environments.git"))
                .isEqualTo("https://github.com/treum/environments.git");
    }

    @Test
    void masksQueryValuesButKeepsTheirNames() {
        assertThat(Redactions.url("https://bucket.s3.amazonaws.com/dump.gz?X-Amz-Signature=abc&X-Amz-Expires=60"))
                .isEqualTo("https://bucket.s3.amazonaws.com/dump.gz?X-Amz-Signature=***&X-Amz-Expires=***");
    }

    @Test
    void keepsPlainAddressesWhole() {
        assertThat(Redactions.url("https://127.0.0.1:6443")).isEqualTo("https://127.0.0.1:6443");
        assertThat(Redactions.url("http://127.0.0.1:5000/")).isEqualTo("http://127.0.0.1:5000/");
    }

    @Test
    void cleansEveryUrlQuotedInAMessage() {
        assertThat(Redactions.urlsIn("https://ghp_token@github.com/treum/env.git: not authorized; tried ssh://git:pw@h/x"))
                .isEqualTo("https://github.com/treum/env.git: not authorized; tried ssh://h/x");
    }

    @Test
    void masksWhatItCannotReadAsAUrl() {
        assertThat(Redactions.url("user:password")).isEqualTo("user:***");
        assertThat(Redactions.url("not a url with spaces:secret")).isEqualTo(Redactions.REDACTED);
    }

    @Test
    void aSecretsRefusalKeepsItsFieldsAndDropsEveryValue() {
        String typedPatch = "failed to create typed patch object (ns/db; /v1, Kind=Secret): .stringData.password: "
                + "expected string, got &value.valueUnstructured{Value:918273645546}";
        String validation = "Secret \"tls\" is invalid: data[tls.crt]: Required value, data[tls.key]: Invalid value: "
                + "\"stringData.hunter2\": bad";

        assertThat(Redactions.secretRefusal(typedPatch)).contains("stringData.password").doesNotContain("918273645546");
        assertThat(Redactions.secretRefusal(validation)).contains("data[tls.crt]").contains("data[tls.key]")
                .doesNotContain("hunter2");
    }
}
