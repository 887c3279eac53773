package ai.treum.gitops.port;

/** Hears of every AWS API call the daemon makes, once per call (retries included in it). */
@FunctionalInterface
public interface AwsCallListener {

    AwsCallListener NONE = (service, operation, result) -> { };

    /** @param result success, throttled or error */
    void called(String service, String operation, String result);
}
