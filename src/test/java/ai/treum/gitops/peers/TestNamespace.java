package ai.treum.gitops.peers;

/** The namespace a test class owns on the shared kube-apiserver. */
public record TestNamespace(String name) {
}
