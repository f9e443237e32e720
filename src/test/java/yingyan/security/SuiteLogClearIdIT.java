package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the tests of this build (its own failsafe execution, suite-log-scan in the pom, runs after surefire's
 * whole suite and after every other IT):
 * no log line of any test, and no other output of any test, holds a resident ID number in clear. Reads
 * target/test-logs/suite.log (every test's log, src/test/resources/logback-test.xml) and every
 * *-output.txt of surefire-reports and failsafe-reports (stdout/stderr, redirected there by the pom). The pom
 * empties both at the start of each build, so this reads this build's output only.
 */
class SuiteLogClearIdIT {
    private static final Logger log = LoggerFactory.getLogger(SuiteLogClearIdIT.class);

    @Test
    void noTestOfThisBuildLoggedOrPrintedAResidentIdInClear() throws Exception {
        Path target = Path.of("target");
        Path suiteLog = Path.of(System.getProperty("yingyan.test-log", "target/test-logs/suite.log"));
        Assumptions.assumeTrue(Files.exists(suiteLog), () -> suiteLog + " does not exist: no test of this build has"
                + " logged yet (run within mvn verify, after the surefire suite)");
        ClearIdScanner scan = new ClearIdScanner().file(suiteLog);
        List<Path> outputs;
        try (Stream<Path> s = Stream.of("surefire-reports", "failsafe-reports").map(target::resolve)
                .filter(Files::isDirectory).flatMap(SuiteLogClearIdIT::list)) {
            outputs = s.filter(p -> p.getFileName().toString().endsWith("-output.txt")).sorted().toList();
        }
        for (Path p : outputs) {
            scan.file(p);
        }
        assertThat(scan.leaks()).as("resident ID numbers in clear in the suite's logs and output (shown masked)")
                .isEmpty();
        log.info("suite log scan: {} and {} test output files; {}", suiteLog, outputs.size(), scan.summary());
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
