package yingyan.supervision.conf;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start refused for a bad calendar or rules file ends with Spring Boot's "APPLICATION FAILED TO START" report
 * naming the file, the line and the key, instead of a stack trace in which the reader has to find them.
 */
final class ConfFileFailureAnalyzer extends AbstractFailureAnalyzer<ConfFileException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfFileException cause) {
        return new FailureAnalysis("A supervision configuration file cannot be used: " + cause.getMessage(),
                "Correct " + cause.file() + " at line " + cause.line()
                        + (cause.key() == null ? "" : " (" + cause.key() + ")")
                        + " and start the hub again (docs/supervision.md, \"Bad calendar or rule files\").", cause);
    }
}
