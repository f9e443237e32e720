package yingyan;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages as they are drawn (after buckpal's {@code DependencyRuleTests}): an adapter sees the hub only
 * through {@code spi} and {@code canonical}; the layers depend downwards only; no two packages depend on each
 * other. The rules run over the main classes (the adapters are main classes too); the tests below show the
 * adapter rule failing on a fixture that reaches into the store.
 */
@AnalyzeClasses(packages = "yingyan", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule canonicalModelDependsOnNothingElseInTheHub = noClasses()
            .that().resideInAPackage("yingyan.canonical..")
            .should().dependOnClassesThat(resideInAPackage("yingyan..").and(not(resideInAPackage("yingyan.canonical.."))))
            .because("the canonical model is the contract every other package builds on");

    /** What an adapter may import of the hub: {@code spi}, {@code canonical} and its own package. */
    @ArchTest
    static final ArchRule adaptersSeeTheHubOnlyThroughTheSpi = CompositeArchRule
            .of(noClasses().that().resideInAPackage("yingyan.adapters..")
                    .should().dependOnClassesThat(resideInAPackage("yingyan..")
                            .and(not(resideInAnyPackage("yingyan.spi..", "yingyan.canonical..", "yingyan.adapters.."))))
                    .because("an adapter sees the hub only through yingyan.spi (and the canonical model it maps to);"
                            + " a port missing there is added to spi, not imported from the hub's packages"))
            .and(slices().matching("yingyan.adapters.(*)..").should().notDependOnEachOther()
                    .because("each adapter stands alone: what two share belongs in yingyan.spi"));

    /**
     * Each package's layer, and the layers it may use: the model and the SPI at the bottom, the shared web and
     * configuration pieces, the audit chain, the database, the pipeline, then the province push, the feed and the
     * console over them; the command line reaches the hub over HTTP (only {@code verify} reads the database,
     * through audit's Verifier). A new package is placed here, or this rule names its classes.
     */
    @ArchTest
    static final ArchRule layersDependDownwardsOnly = layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("yingyan..")
            .layer("Boot").definedBy("yingyan")
            .layer("Canonical").definedBy("yingyan.canonical..")
            .layer("Spi").definedBy("yingyan.spi..")
            .layer("Adapters").definedBy("yingyan.adapters..")
            .layer("Web").definedBy("yingyan.web..")
            .layer("Config").definedBy("yingyan.config..")
            .layer("Logging").definedBy("yingyan.logging..")
            .layer("Audit").definedBy("yingyan.audit..")
            .layer("Store").definedBy("yingyan.store..")
            .layer("Cluster").definedBy("yingyan.cluster..")
            .layer("Pipeline").definedBy("yingyan.ingest..", "yingyan.quarantine..", "yingyan.backfill..")
            .layer("Province").definedBy("yingyan.province..")
            .layer("Feed").definedBy("yingyan.feed..")
            .layer("Supervision").definedBy("yingyan.supervision..")
            .layer("Quality").definedBy("yingyan.quality..")
            .layer("Console").definedBy("yingyan.console..")
            .layer("Security").definedBy("yingyan.security..")
            .layer("Retention").definedBy("yingyan.retention..")
            .layer("Cli").definedBy("yingyan.cli..")
            .whereLayer("Canonical").mayNotAccessAnyLayer()
            .whereLayer("Spi").mayOnlyAccessLayers("Canonical")
            .whereLayer("Adapters").mayOnlyAccessLayers("Spi", "Canonical")
            .whereLayer("Adapters").mayNotBeAccessedByAnyLayer()
            .whereLayer("Web").mayOnlyAccessLayers("Canonical")
            .whereLayer("Config").mayOnlyAccessLayers("Canonical")
            .whereLayer("Logging").mayOnlyAccessLayers("Canonical")
            .whereLayer("Logging").mayNotBeAccessedByAnyLayer()
            .whereLayer("Audit").mayOnlyAccessLayers("Canonical", "Web", "Config")
            .whereLayer("Store").mayOnlyAccessLayers("Canonical", "Spi", "Config", "Audit")
            .whereLayer("Cluster").mayOnlyAccessLayers("Canonical", "Spi", "Web", "Config", "Store")
            .whereLayer("Pipeline").mayOnlyAccessLayers("Canonical", "Spi", "Web", "Config", "Audit", "Store",
                    "Cluster")
            .whereLayer("Province").mayOnlyAccessLayers("Canonical", "Spi", "Web", "Config", "Audit", "Store",
                    "Supervision")
            .whereLayer("Feed").mayOnlyAccessLayers("Canonical", "Web", "Config", "Audit", "Store")
            .whereLayer("Supervision").mayOnlyAccessLayers("Canonical", "Web", "Config", "Audit", "Store", "Feed")
            .whereLayer("Quality").mayOnlyAccessLayers("Canonical", "Web", "Config", "Audit", "Store", "Feed")
            .whereLayer("Console").mayOnlyAccessLayers("Canonical", "Spi", "Web", "Config", "Audit", "Store",
                    "Pipeline", "Province", "Supervision", "Quality", "Cluster")
            .whereLayer("Console").mayNotBeAccessedByAnyLayer()
            .whereLayer("Security").mayOnlyAccessLayers("Canonical", "Web", "Config", "Feed")
            .whereLayer("Security").mayNotBeAccessedByAnyLayer()
            .whereLayer("Retention").mayOnlyAccessLayers("Canonical", "Config", "Audit", "Store")
            .whereLayer("Retention").mayNotBeAccessedByAnyLayer()
            .whereLayer("Cli").mayOnlyAccessLayers("Canonical", "Audit")
            .whereLayer("Cli").mayOnlyBeAccessedByLayers("Boot")
            .whereLayer("Boot").mayOnlyAccessLayers("Cli")
            .ensureAllClassesAreContainedInArchitecture();

    /**
     * No two packages depend on each other, with one known exception: quarantine's release re-maps an entry
     * through ingest's Normaliser, which itself quarantines what fails.
     */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("yingyan.(*)..").should().beFreeOfCycles()
            .ignoreDependency("yingyan.quarantine.QuarantineService", "yingyan.ingest.Normaliser");

    @Test
    void anAdapterThatImportsTheStoreBreaksTheAdapterRule() {
        JavaClasses fixture = new ClassFileImporter().importPackages("yingyan.adapters.archfixture");

        EvaluationResult result = adaptersSeeTheHubOnlyThroughTheSpi.evaluate(fixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString())
                .contains("Field <yingyan.adapters.archfixture.ReachesIntoStore.watermarks> has type"
                        + " <yingyan.store.WatermarkStore>")
                .contains("Method <yingyan.adapters.archfixture.ReachesIntoStore.position()> calls method"
                        + " <yingyan.store.WatermarkStore.get(java.lang.String)>");
    }

    @Test
    void anAdapterThatUsesAnotherAdapterBreaksTheAdapterRule() {
        JavaClasses fixture = new ClassFileImporter().importPackages("yingyan.adapters.archfixture");

        String report = adaptersSeeTheHubOnlyThroughTheSpi.evaluate(fixture).getFailureReport().toString();

        assertThat(report).contains("Slice archfixture depends on Slice archneighbour")
                .contains("Method <yingyan.adapters.archfixture.ReachesIntoAnotherAdapter.read(java.lang.String)>"
                        + " calls method <yingyan.adapters.archneighbour.NeighbourParser.parse(java.lang.String)>");
    }

    @Test
    void theRealAdaptersKeepTheAdapterRule() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("yingyan.adapters");

        EvaluationResult result = adaptersSeeTheHubOnlyThroughTheSpi.evaluate(main);

        assertThat(main.stream().map(c -> c.getPackageName()).distinct())
                .contains("yingyan.adapters.approvals", "yingyan.adapters.procurement")
                .doesNotContain("yingyan.adapters.archfixture");
        assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
    }

    /** What new-adapter.sh writes imports no more of the hub than the adapters may. */
    @Test
    void theAdapterTemplateNamesOnlyTheSpiAndTheCanonicalModel() throws IOException {
        Pattern hubName = Pattern.compile("\\byingyan\\.[\\w.]+");
        Pattern allowed = Pattern.compile("yingyan\\.(spi|canonical|adapters\\.__pkg__)(\\.|$)");
        List<String> named = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("adapters/_template"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java.tmpl")).sorted().toList()) {
                Matcher m = hubName.matcher(Files.readString(f));
                while (m.find()) {
                    String name = m.group();
                    named.add(name);
                    if (!allowed.matcher(name).lookingAt()) {
                        outside.add(f.getFileName() + ": " + name);
                    }
                }
            }
        }
        assertThat(named).contains("yingyan.spi.SourceMapper", "yingyan.spi.Watermarks");
        assertThat(outside).isEmpty();
    }
}
