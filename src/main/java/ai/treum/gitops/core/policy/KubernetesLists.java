package ai.treum.gitops.core.policy;

import java.util.List;

/** Kubernetes' CEL list library: {@code isSorted}, {@code sum}, {@code min}, {@code max}. */
final class KubernetesLists {

    private KubernetesLists() {
    }

    static boolean isSorted(List<?> list) {
        for (int i = 1; i < list.size(); i++) {
            if (compare(list.get(i - 1), list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    /** The sum: an int for ints, a double when any element is a double, 0 for an empty list. */
    static Object sum(List<?> list) {
        if (list.stream().allMatch(Long.class::isInstance)) {
            return list.stream().mapToLong(Long.class::cast).reduce(0L, Math::addExact);
        }
        return list.stream().mapToDouble(KubernetesLists::number).sum();
    }

    /** The smallest ({@code sign} -1) or largest (1) element; an error for an empty list. */
    static Object extreme(List<?> list, int sign) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException((sign < 0 ? "min" : "max") + " called on an empty list");
        }
        Object best = list.get(0);
        for (Object item : list) {
            if (compare(item, best) * sign > 0) {
                best = item;
            }
        }
        return best;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Comparable c && a.getClass() == b.getClass()) {
            return c.compareTo(b);
        }
        throw new IllegalArgumentException("cannot compare " + a + " and " + b);
    }

    private static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("sum of a list with a non-number: " + o);
    }
}
