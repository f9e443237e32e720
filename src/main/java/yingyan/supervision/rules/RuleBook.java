package yingyan.supervision.rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import yingyan.supervision.Rule;
import yingyan.supervision.conf.ConfDirectory;
import yingyan.supervision.conf.ConfFileException;

/**
 * The enabled rules, as last read well from {@code conf/supervision/} (the alert engine injects this bean). Read
 * at start (a bad file refuses the start); {@link #reload} swaps in changed rules or logs what is wrong with a
 * bad file (file, line, key) and keeps the last good ones.
 */
public final class RuleBook {
    private static final Logger log = LoggerFactory.getLogger(RuleBook.class);

    private final ConfDirectory dir;
    private final AtomicReference<List<Rule>> rules;
    private volatile String lastProblem;
    private volatile Map<String, String> lastFiles;

    RuleBook(ConfDirectory dir) {
        this.dir = dir;
        this.lastFiles = RulesFileReader.files(dir);
        this.rules = new AtomicReference<>(RulesFileReader.load(dir, lastFiles));
        log.info("Supervision rules on: {}", rules.get());
    }

    /** A fixed rule book (tests, the engine's tests). */
    RuleBook(List<Rule> rules) {
        this.dir = null;
        this.rules = new AtomicReference<>(List.copyOf(rules));
    }

    /** The enabled rules. */
    public List<Rule> rules() {
        return rules.get();
    }

    /** Why the last reload was refused, while the files are still bad; null when they read well. */
    public String lastProblem() {
        return lastProblem;
    }

    /** An enabled rule by id. */
    public Optional<Rule> rule(String id) {
        return rules.get().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** Reads the files again; true when they changed and read well. */
    public boolean reload() {
        if (dir == null) {
            return false;
        }
        Map<String, String> files;
        try {
            files = RulesFileReader.files(dir);
        } catch (ConfFileException e) {
            refused(e);
            return false;
        }
        if (files.equals(lastFiles)) {
            lastProblem = null;
            return false;
        }
        List<Rule> next;
        try {
            next = RulesFileReader.load(dir, files);
        } catch (ConfFileException e) {
            refused(e);
            return false;
        }
        lastProblem = null;
        lastFiles = files;
        rules.set(next);
        log.info("Supervision rules reloaded: {}", next);
        return true;
    }

    private void refused(ConfFileException e) {
        if (!e.getMessage().equals(lastProblem)) {
            log.error("Supervision rules not reloaded, the last good ones stay: {}", e.getMessage());
        }
        lastProblem = e.getMessage();
    }
}
