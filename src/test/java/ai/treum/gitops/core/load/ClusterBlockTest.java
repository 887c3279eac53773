package ai.treum.gitops.core.load;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.model.ClusterTarget;
import ai.treum.gitops.peers.FixtureRepo;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** spec.cluster: the three forms, and each way of getting one wrong, refused on its line. */
@Tag("peer")
class ClusterBlockTest {

    private static EnvironmentLoader.Result load(String cluster) {
        return EnvironmentLoader.load(new SourceFile("environments/production/environment.yaml",
                FixtureRepo.environmentYaml("production", "treum-production") + cluster), "production");
    }

    private static List<String> errors(String cluster) {
        EnvironmentLoader.Result result = load(cluster);
        assertThat(result.environment()).isNull();
        return result.errors().stream().map(LoadError::toString).toList();
    }

    @Test
    void noClusterAndInClusterAreTheDaemonsOwn() {
        assertThat(load("").environment().cluster()).isEqualTo(ClusterTarget.IN_CLUSTER);
        assertThat(load("  cluster:\n    inCluster: true\n").environment().cluster()).isEqualTo(ClusterTarget.IN_CLUSTER);
    }

    @Test
    void aKubeconfigSecretAndAnEksClusterAreRead() {
        assertThat(load("  cluster:\n    kubeconfigSecret: {name: production-cluster, key: kubeconfig}\n")
                .environment().cluster()).isEqualTo(new ClusterTarget.KubeconfigSecret(null, "production-cluster", "kubeconfig"));
        assertThat(load("  cluster:\n    eks:\n      name: treum-production\n      region: ap-south-1\n"
                + "      roleArn: arn:aws:iam::123456789012:role/treum-deployer\n").environment().cluster())
                .isEqualTo(new ClusterTarget.Eks("treum-production", "ap-south-1",
                        "arn:aws:iam::123456789012:role/treum-deployer"));
    }

    @Test
    void eachMistakeIsAnErrorOnTheClusterLine() {
        assertThat(errors("  cluster:\n    inCluster: false\n")).containsExactly("environments/production/environment.yaml:7: "
                + "environment-cluster: spec.cluster must name exactly one of inCluster: true, kubeconfigSecret or eks, "
                + "found inCluster");
        assertThat(errors("  cluster:\n    inCluster: true\n    eks: {name: a, region: ap-south-1}\n")).singleElement()
                .asString().contains(":7: environment-cluster: ").endsWith("found inCluster, eks");
        assertThat(errors("  cluster:\n    kubeconfigSecret: {name: Prod_Cluster}\n")).containsExactly(
                "environments/production/environment.yaml:7: environment-cluster: spec.cluster.kubeconfigSecret.name: "
                        + "Prod_Cluster is not a Secret name",
                "environments/production/environment.yaml:7: environment-cluster: spec.cluster.kubeconfigSecret.key is "
                        + "required");
        assertThat(errors("  cluster:\n    eks: {name: treum-production, region: mumbai, roleArn: deployer}\n"))
                .containsExactly("environments/production/environment.yaml:7: environment-cluster: spec.cluster.eks.region: "
                        + "mumbai is not an AWS region such as ap-south-1",
                        "environments/production/environment.yaml:7: environment-cluster: spec.cluster.eks.roleArn: deployer "
                                + "is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
        assertThat(errors("  cluster:\n    context: production\n")).singleElement().asString()
                .contains("unknown-field: spec.cluster.context is not a field of an Environment");
    }
}
