package ai.treum.gitops.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ManagedFieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode live(String managedFields) throws Exception {
        return JSON.readTree("{\"metadata\": {\"managedFields\": " + managedFields + "}}");
    }

    @Test
    void theSharedManagersApplyEntryIsRenamedAndTheOthersStayAsTheyAre() throws Exception {
        JsonNode live = live("""
                [{"manager": "treum-gitops", "operation": "Apply", "apiVersion": "v1",
                  "fieldsV1": {"f:data": {"f:PORT": {}}}},
                 {"manager": "kubectl-edit", "operation": "Update", "apiVersion": "v1",
                  "fieldsV1": {"f:data": {"f:DEBUG": {}}}}]
                """);

        JsonNode handed = ManagedFields.handedOver(live, "treum-gitops", "treum-gitops/staging").orElseThrow();

        assertThat(handed).hasSize(2);
        assertThat(handed.findValuesAsText("manager")).containsExactlyInAnyOrder("kubectl-edit", "treum-gitops/staging");
        assertThat(handed.toString()).contains("\"f:PORT\"").contains("\"f:DEBUG\"");
    }

    @Test
    void intoAnEntryTheNewManagerHasAlreadyTheFieldsAreMerged() throws Exception {
        JsonNode live = live("""
                [{"manager": "treum-gitops/staging", "operation": "Apply", "apiVersion": "v1",
                  "fieldsV1": {"f:data": {"f:PORT": {}}}},
                 {"manager": "treum-gitops", "operation": "Apply", "apiVersion": "v1",
                  "fieldsV1": {"f:data": {"f:OLD": {}}, "f:metadata": {"f:labels": {}}}}]
                """);

        JsonNode handed = ManagedFields.handedOver(live, "treum-gitops", "treum-gitops/staging").orElseThrow();

        assertThat(handed).withFailMessage("one entry per manager and apiVersion, as the API server keeps them").hasSize(1);
        assertThat(handed.get(0).path("fieldsV1").path("f:data").has("f:PORT")).isTrue();
        assertThat(handed.get(0).path("fieldsV1").path("f:data").has("f:OLD")).isTrue();
        assertThat(handed.get(0).path("fieldsV1").has("f:metadata")).isTrue();
    }

    @Test
    void nothingToHandOverWhenTheOldManagerAppliedNothing() throws Exception {
        assertThat(ManagedFields.handedOver(live("""
                [{"manager": "treum-gitops", "operation": "Update", "apiVersion": "v1", "fieldsV1": {}}]
                """), "treum-gitops", "treum-gitops/staging")).isEmpty();
    }
}
