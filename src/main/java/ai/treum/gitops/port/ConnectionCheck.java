package ai.treum.gitops.port;

import ai.treum.gitops.model.ConnectionStatus;

/** Asks one peer whether it is reachable. Never throws: an unreachable peer is a status. */
public interface ConnectionCheck {

    /** The peer's name in logs and health checks, for example {@code kubernetes}. */
    String peer();

    ConnectionStatus check();
}
