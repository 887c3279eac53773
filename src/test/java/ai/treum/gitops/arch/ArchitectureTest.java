package ai.treum.gitops.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package table of docs/architecture.md, as rules on the compiled daemon: the pure core and
 * the model use no SDK and do no I/O, each SDK is used only by its adapter (and the command line
 * that wires its own), ports know no adapter, and the packages form no cycle.
 */
class ArchitectureTest {

    private static final String ROOT = "ai.treum.gitops";
    private static JavaClasses daemon;

    @BeforeAll
    static void importDaemon() {
        daemon = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void theCoreAndTheModelUseNoSdkAndNoFramework() {
        // Kubernetes' own rules for quantities and plurals, pure functions of fabric8's model library
        DescribedPredicate<JavaClass> sdk = resideInAnyPackage("io.fabric8..", "org.eclipse.jgit..", "software.amazon..",
                "io.quarkus..", "io.vertx..", "jakarta..", "io.smallrye..", "io.micrometer..", "io.opentelemetry..",
                "org.eclipse.microprofile..", "java.net.http..")
                .and(not(belongToAnyOf(Quantity.class, Pluralize.class)))
                .as("an SDK, a framework or an HTTP client");
        noClasses().that().resideInAnyPackage(ROOT + ".core..", ROOT + ".model..")
                .should().dependOnClassesThat(sdk)
                .because("core and model are pure: values in, values out, testable without a peer")
                .check(daemon);
    }

    @Test
    void theCoreAndTheModelDependOnlyOnEachOther() {
        noClasses().that().resideInAnyPackage(ROOT + ".core..", ROOT + ".model..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".adapter..", ROOT + ".api..", ROOT + ".cli..",
                        ROOT + ".handler..", ROOT + ".reconcile..", ROOT + ".event..", ROOT + ".metrics..",
                        ROOT + ".report..", ROOT + ".config..", ROOT + ".port..")
                .because("everything else is built on them, never the other way round")
                .check(daemon);
    }

    @Test
    void eachSdkIsUsedOnlyWhereItIsWired() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".adapter.git..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jgit..")
                .because("Git is reached through port.DesiredStateSource").check(daemon);
        noClasses().that().resideOutsideOfPackages(ROOT + ".adapter.aws..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..")
                .because("AWS is reached through port.AwsReader, AwsApplier, BackupStore and EksAccess").check(daemon);
        noClasses().that().resideOutsideOfPackages(ROOT + ".adapter.kubernetes..", ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..")
                .because("the cluster is reached through the cluster ports; plan and the CLI wire a client of their own")
                .check(daemon);
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(daemon);
    }

    @Test
    void portsAreInterfacesOverTheModel() {
        noClasses().that().resideInAPackage(ROOT + ".port..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".adapter..", ROOT + ".reconcile..",
                        ROOT + ".handler..", ROOT + ".api..", ROOT + ".cli..", "io.fabric8..", "org.eclipse.jgit..",
                        "software.amazon..")
                .because("an adapter implements a port; a port knows no adapter and no SDK").check(daemon);
    }
}
