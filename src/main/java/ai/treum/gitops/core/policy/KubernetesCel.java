package ai.treum.gitops.core.policy;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CEL environment of a ValidatingAdmissionPolicy, as the Kubernetes API server has it: the
 * standard library and macros, the strings, optional, sets and bindings extensions, and
 * Kubernetes' own quantity, lists and regex libraries. The variables are those of admission:
 * {@code object}, {@code oldObject}, {@code request}, {@code params}, {@code namespaceObject} and
 * {@code variables}. Objects are untyped (dyn): there is no OpenAPI schema offline.
 */
final class KubernetesCel {

    static final List<String> VARIABLES = List.of("object", "oldObject", "request", "params", "namespaceObject");

    private static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");
    private static final TypeParamType T = TypeParamType.create("T");
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final int PATTERNS_KEPT = 1_000;

    private KubernetesCel() {
    }

    /**
     * The most comprehension steps one evaluation may take. A policy from Git runs in the daemon:
     * nested macros over a large list ({@code l.all(x, l.all(y, ...))}) must end in an evaluation
     * error, which the policy's failurePolicy then decides, not hold a sync for minutes.
     */
    static final int ITERATION_BUDGET = 100_000;

    /** The one environment, immutable and shared by the policies and the health expressions. */
    static final Cel CEL = build();

    private static Cel build() {
        CelOptions options = CelOptions.current().enableOptionalSyntax(true)
                .enableHeterogeneousNumericComparisons(true).comprehensionMaxIterations(ITERATION_BUDGET).build();
        var builder = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.bindings(),
                        CelExtensions.sets(options), CelExtensions.lists())
                .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.sets(options),
                        CelExtensions.lists())
                .addVar("variables", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addFunctionDeclarations(quantityDeclarations())
                .addFunctionDeclarations(listDeclarations())
                .addFunctionDeclarations(regexDeclarations())
                .addFunctionBindings(quantityBindings())
                .addFunctionBindings(listBindings())
                .addFunctionBindings(regexBindings());
        VARIABLES.forEach(name -> builder.addVar(name, SimpleType.DYN));
        return builder.build();
    }

    private static List<CelFunctionDecl> quantityDeclarations() {
        return List.of(
                global("quantity", "string_to_quantity", QUANTITY, SimpleType.STRING),
                global("isQuantity", "is_quantity_string", SimpleType.BOOL, SimpleType.STRING),
                member("sign", "quantity_sign", SimpleType.INT, QUANTITY),
                member("isInteger", "quantity_is_integer", SimpleType.BOOL, QUANTITY),
                member("asInteger", "quantity_as_integer", SimpleType.INT, QUANTITY),
                member("asApproximateFloat", "quantity_as_float", SimpleType.DOUBLE, QUANTITY),
                CelFunctionDecl.newFunctionDeclaration("add",
                        CelOverloadDecl.newMemberOverload("quantity_add", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_add_int", QUANTITY, QUANTITY, SimpleType.INT)),
                CelFunctionDecl.newFunctionDeclaration("sub",
                        CelOverloadDecl.newMemberOverload("quantity_sub", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_sub_int", QUANTITY, QUANTITY, SimpleType.INT)),
                member("isLessThan", "quantity_less", SimpleType.BOOL, QUANTITY, QUANTITY),
                member("isGreaterThan", "quantity_greater", SimpleType.BOOL, QUANTITY, QUANTITY),
                member("compareTo", "quantity_compare", SimpleType.INT, QUANTITY, QUANTITY));
    }

    private static List<CelFunctionBinding> quantityBindings() {
        return List.of(
                CelFunctionBinding.from("string_to_quantity", String.class, CelQuantity::parse),
                CelFunctionBinding.from("is_quantity_string", String.class, CelQuantity::valid),
                CelFunctionBinding.from("quantity_sign", CelQuantity.class, CelQuantity::sign),
                CelFunctionBinding.from("quantity_is_integer", CelQuantity.class, CelQuantity::isInteger),
                CelFunctionBinding.from("quantity_as_integer", CelQuantity.class, CelQuantity::asInteger),
                CelFunctionBinding.from("quantity_as_float", CelQuantity.class, CelQuantity::asApproximateFloat),
                CelFunctionBinding.from("quantity_add", CelQuantity.class, CelQuantity.class, CelQuantity::add),
                CelFunctionBinding.from("quantity_add_int", CelQuantity.class, Long.class,
                        (q, n) -> q.add(new CelQuantity(java.math.BigDecimal.valueOf(n)))),
                CelFunctionBinding.from("quantity_sub", CelQuantity.class, CelQuantity.class, CelQuantity::subtract),
                CelFunctionBinding.from("quantity_sub_int", CelQuantity.class, Long.class,
                        (q, n) -> q.subtract(new CelQuantity(java.math.BigDecimal.valueOf(n)))),
                CelFunctionBinding.from("quantity_less", CelQuantity.class, CelQuantity.class, (a, b) -> a.compareTo(b) < 0),
                CelFunctionBinding.from("quantity_greater", CelQuantity.class, CelQuantity.class,
                        (a, b) -> a.compareTo(b) > 0),
                CelFunctionBinding.from("quantity_compare", CelQuantity.class, CelQuantity.class,
                        (a, b) -> (long) Integer.signum(a.compareTo(b))));
    }

    private static List<CelFunctionDecl> listDeclarations() {
        ListType list = ListType.create(T);
        return List.of(
                member("isSorted", "list_is_sorted", SimpleType.BOOL, list),
                member("sum", "list_sum", T, list),
                member("min", "list_min", T, list),
                member("max", "list_max", T, list),
                member("indexOf", "list_index_of", SimpleType.INT, list, T),
                member("lastIndexOf", "list_last_index_of", SimpleType.INT, list, T));
    }

    private static List<CelFunctionBinding> listBindings() {
        return List.of(
                CelFunctionBinding.from("list_is_sorted", List.class, KubernetesLists::isSorted),
                CelFunctionBinding.from("list_sum", List.class, KubernetesLists::sum),
                CelFunctionBinding.from("list_min", List.class, l -> KubernetesLists.extreme(l, -1)),
                CelFunctionBinding.from("list_max", List.class, l -> KubernetesLists.extreme(l, 1)),
                CelFunctionBinding.from("list_index_of", List.class, Object.class, (l, x) -> (long) l.indexOf(x)),
                CelFunctionBinding.from("list_last_index_of", List.class, Object.class, (l, x) -> (long) l.lastIndexOf(x)));
    }

    private static List<CelFunctionDecl> regexDeclarations() {
        return List.of(
                member("find", "string_find", SimpleType.STRING, SimpleType.STRING, SimpleType.STRING),
                CelFunctionDecl.newFunctionDeclaration("findAll",
                        CelOverloadDecl.newMemberOverload("string_find_all", ListType.create(SimpleType.STRING),
                                SimpleType.STRING, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("string_find_all_n", ListType.create(SimpleType.STRING),
                                SimpleType.STRING, SimpleType.STRING, SimpleType.INT)));
    }

    private static List<CelFunctionBinding> regexBindings() {
        return List.of(
                CelFunctionBinding.from("string_find", String.class, String.class, (s, re) -> {
                    Matcher m = pattern(re).matcher(s);
                    return m.find() ? m.group() : "";
                }),
                CelFunctionBinding.from("string_find_all", String.class, String.class, (s, re) -> findAll(s, re, -1)),
                CelFunctionBinding.from("string_find_all_n", List.of(String.class, String.class, Long.class),
                        args -> findAll((String) args[0], (String) args[1], (Long) args[2])));
    }

    /** Every match, or the first {@code limit} when it is not negative, as Go's FindAllString. */
    private static List<String> findAll(String s, String re, long limit) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern(re).matcher(s);
        while ((limit < 0 || found.size() < limit) && m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /**
     * RE2 patterns, so matching takes linear time whatever the pattern; kept while there are few,
     * since an expression may take its pattern from the object, which Git writes.
     */
    private static Pattern pattern(String re) {
        if (PATTERNS.size() > PATTERNS_KEPT) {
            PATTERNS.clear();
        }
        return PATTERNS.computeIfAbsent(re, Pattern::compile);
    }

    private static CelFunctionDecl global(String name, String overload, CelType result, CelType... args) {
        return CelFunctionDecl.newFunctionDeclaration(name, CelOverloadDecl.newGlobalOverload(overload, result, args));
    }

    private static CelFunctionDecl member(String name, String overload, CelType result, CelType... args) {
        return CelFunctionDecl.newFunctionDeclaration(name, CelOverloadDecl.newMemberOverload(overload, result, args));
    }
}
