package ai.treum.gitops.core.policy;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 500m}, {@code 1Gi}, {@code 1e3}) as a CEL value. Equal
 * quantities are equal whatever their spelling, as in Kubernetes: {@code 1 == 1000m}.
 */
public record CelQuantity(BigDecimal value) implements Comparable<CelQuantity> {

    /** The grammar of Kubernetes' resource.Quantity; fabric8's parser is laxer, so it is checked first. */
    private static final Pattern GRAMMAR = Pattern.compile(
            "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");

    public CelQuantity {
        value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    public static boolean valid(String text) {
        return GRAMMAR.matcher(text).matches();
    }

    /** @throws IllegalArgumentException when the text is not a quantity */
    public static CelQuantity parse(String text) {
        if (!valid(text)) {
            throw new IllegalArgumentException("quantities must match the regular expression "
                    + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', found '" + text + "'");
        }
        return new CelQuantity(Quantity.getAmountInBytes(new Quantity(text)));
    }

    @Override
    public int compareTo(CelQuantity other) {
        return value.compareTo(other.value);
    }

    long sign() {
        return value.signum();
    }

    boolean isInteger() {
        return value.scale() <= 0 && value.toBigInteger().bitLength() < 64;
    }

    long asInteger() {
        if (!isInteger()) {
            throw new IllegalArgumentException("cannot convert value to integer: " + this);
        }
        return value.longValueExact();
    }

    double asApproximateFloat() {
        return value.doubleValue();
    }

    CelQuantity add(CelQuantity other) {
        return new CelQuantity(value.add(other.value));
    }

    CelQuantity subtract(CelQuantity other) {
        return new CelQuantity(value.subtract(other.value));
    }

    @Override
    public String toString() {
        return value.toPlainString();
    }
}
