package yingyan.canonical;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Every adapter and the feed build on the canonical model, so it must not build on them. */
@AnalyzeClasses(packages = "yingyan", importOptions = ImportOption.DoNotIncludeTests.class)
class CanonicalModelDependencyTest {

    @ArchTest
    static final ArchRule canonicalModelDependsOnNothingElseInTheHub = noClasses()
            .that().resideInAPackage("yingyan.canonical..")
            .should().dependOnClassesThat(resideInAPackage("yingyan..").and(not(resideInAPackage("yingyan.canonical.."))))
            .because("the canonical model is the contract every other package builds on");
}
