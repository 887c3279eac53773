package ai.treum.gitops.core.aws;

import ai.treum.gitops.model.AwsResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares declared AWS resources with what AWS has. Only declared fields count, and within a
 * declared map or list element only its declared keys, so AWS defaults are never drift. Each
 * difference says whether enforce mode may put it back. Pure.
 */
public final class AwsDiff {

    private AwsDiff() {
    }

    /**
     * @param live        each resource AWS has, by {@link AwsResource#toString()}, its fields named as
     *                    declared; and the environment that marks each DNS name, by
     *                    {@link RecordOwnership#liveKey}
     * @param environment the environment whose resources these are: a DNS record only it marks may change
     */
    public static List<AwsDrift> diff(List<AwsResource> declared, Map<String, Map<String, Object>> live,
            String environment) {
        List<AwsDrift> drift = new ArrayList<>();
        for (AwsResource resource : declared) {
            AwsKind kind = AwsKind.of(resource.kind()).orElseThrow();
            Map<String, Object> actual = live.get(resource.toString());
            String owner = kind == AwsKind.ROUTE53_RECORD_SET ? (String) live.getOrDefault(RecordOwnership.liveKey(resource),
                    Map.of()).get("environment") : null;
            if (actual == null) {
                boolean upsert = kind == AwsKind.ROUTE53_RECORD_SET && (owner == null || owner.equals(environment));
                drift.add(new AwsDrift(resource, null, null, null, upsert, upsert ? null
                        : kind == AwsKind.ROUTE53_RECORD_SET ? "the name is marked as environment " + owner + "'s"
                        : "the daemon never creates " + resource.kind() + "s"));
                continue;
            }
            resource.fields().forEach((name, declaredValue) -> {
                Object liveValue = actual.get(name);
                if (!matches(declaredValue, liveValue, name.equals("values"))) {
                    AwsDrift found = drifted(kind, resource, name, declaredValue, liveValue);
                    drift.add(kind != AwsKind.ROUTE53_RECORD_SET || environment.equals(owner) ? found
                            : new AwsDrift(resource, name, declaredValue, liveValue, false, owner == null
                                    ? "the record is not marked as environment " + environment + "'s (TXT "
                                    + RecordOwnership.markName(resource.id().split("/")[1]) + ")"
                                    : "the record is marked as environment " + owner + "'s"));
                }
            });
        }
        return drift;
    }

    private static AwsDrift drifted(AwsKind kind, AwsResource resource, String name, Object declared, Object live) {
        AwsKind.Change change = kind.fields().get(name).change();
        String note = switch (change) {
            case ENFORCE -> null;
            case GROW -> declared instanceof Long d && live instanceof Long l && d > l ? null
                    : "lowering " + name + " deletes data, capacity or backups";
            case TIGHTEN -> tightens(declared, live) ? null : "turning off " + name + " loosens the bucket's protection";
            case MANUAL -> "changing " + name + " replaces the resource or is not on the allow-list";
        };
        return new AwsDrift(resource, name, declared, live, note == null, note);
    }

    /**
     * Whether going from live to declared only turns protections on: a flag from off to on, or
     * for a map of flags every differing one so; never one from on to off.
     */
    static boolean tightens(Object declared, Object live) {
        if (declared instanceof Map<?, ?> d) {
            Map<?, ?> l = live instanceof Map<?, ?> m ? m : Map.of();
            return d.entrySet().stream().allMatch(e -> Objects.equals(e.getValue(), l.get(e.getKey()))
                    || tightens(e.getValue(), l.get(e.getKey())));
        }
        return Boolean.TRUE.equals(declared) && !Boolean.TRUE.equals(live);
    }

    /** Declared keys of maps, elements of lists in order (or as a set for record values), scalars equal. */
    static boolean matches(Object declared, Object live, boolean unordered) {
        if (declared instanceof Map<?, ?> d) {
            return live instanceof Map<?, ?> l && d.entrySet().stream()
                    .allMatch(e -> matches(e.getValue(), l.get(e.getKey()), false));
        }
        if (declared instanceof List<?> d) {
            if (!(live instanceof List<?> l) || d.size() != l.size()) {
                return false;
            }
            if (unordered) {
                return d.stream().map(String::valueOf).sorted().toList()
                        .equals(l.stream().map(String::valueOf).sorted().toList());
            }
            for (int i = 0; i < d.size(); i++) {
                if (!matches(d.get(i), l.get(i), false)) {
                    return false;
                }
            }
            return true;
        }
        if (declared instanceof Number d && live instanceof Number l) {
            return d.longValue() == l.longValue();
        }
        return Objects.equals(declared, live);
    }
}
