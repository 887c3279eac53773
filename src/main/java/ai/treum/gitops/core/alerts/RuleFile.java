package ai.treum.gitops.core.alerts;

import ai.treum.gitops.model.DesiredResource;
import java.util.List;

/**
 * One PrometheusRule as a Prometheus rule file.
 *
 * @param source  the PrometheusRule it comes from
 * @param name    the file's name, unique in the environment: {@code <name>.yaml}
 * @param content the file: {@code groups:} as Prometheus reads it
 * @param groups  the names of its groups
 */
public record RuleFile(DesiredResource source, String name, String content, List<String> groups) {
}
