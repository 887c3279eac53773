package ai.treum.gitops.model;

/** Whether a peer (Kubernetes, AWS, the desired state) answered, and what it said. */
public record ConnectionStatus(boolean up, String detail) {

    public static ConnectionStatus up(String detail) {
        return new ConnectionStatus(true, detail);
    }

    public static ConnectionStatus down(String detail) {
        return new ConnectionStatus(false, detail);
    }
}
