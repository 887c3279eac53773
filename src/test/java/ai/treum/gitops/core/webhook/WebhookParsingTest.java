package ai.treum.gitops.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebhookParsingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] BODY = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void anHmacSignatureMatchesOnlyTheExactBodyAndSecret() {
        String signature = Signatures.sign(BODY, "s3cret");

        assertThat(Signatures.validHmac(signature, BODY, "s3cret")).isTrue();
        assertThat(Signatures.validHmac(signature, Arrays.copyOf(BODY, BODY.length - 1), "s3cret"))
                .withFailMessage("a truncated body must not pass with the original signature").isFalse();
        assertThat(Signatures.validHmac(signature, BODY, "other")).isFalse();
        assertThat(Signatures.validHmac(null, BODY, "s3cret")).isFalse();
        assertThat(Signatures.validHmac("sha256=zz", BODY, "s3cret")).isFalse();
        assertThat(Signatures.validHmac(signature.replace("sha256=", "sha1="), BODY, "s3cret")).isFalse();
    }

    @Test
    void aTokenMustMatchExactly() {
        assertThat(Signatures.validToken("glpat-1", "glpat-1")).isTrue();
        assertThat(Signatures.validToken("glpat-12", "glpat-1")).isFalse();
        assertThat(Signatures.validToken(null, "glpat-1")).isFalse();
    }

    @Test
    void aPushNamesTheEnvironmentsItsCommitsTouched() throws Exception {
        PushEvent push = PushEvent.of(JSON.readTree("""
                {"ref": "refs/heads/main",
                 "commits": [
                   {"added": ["environments/staging/kubernetes/new.yaml"], "modified": ["README.md"], "removed": []},
                   {"added": [], "modified": ["environments/production/environment.yaml"],
                    "removed": ["environments-old/qa/x.yaml", "environments/top-level-file.yaml"]}
                 ]}
                """));

        assertThat(push.ref()).isEqualTo("refs/heads/main");
        assertThat(push.environments("environments")).containsExactly("production", "staging");
        assertThat(push.complete()).isTrue();
    }

    @Test
    void aPushWithoutARefIsMalformed() throws Exception {
        assertThatThrownBy(() -> PushEvent.of(JSON.readTree("{\"commits\": []}"))).hasMessageContaining("no ref");
    }
}
