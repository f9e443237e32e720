package yingyan.supervision.conf;

/**
 * A supervision configuration file that cannot be used as it is: the message names the file, the line (1-based)
 * and the key, so the person who keeps the file can fix it. At start it refuses the start; on a hot reload the
 * last good configuration stays.
 */
public final class ConfFileException extends RuntimeException {
    private final String file;
    private final int line;
    private final String key;

    public ConfFileException(String file, int line, String key, String problem) {
        super(file + " line " + line + (key == null || key.isEmpty() ? "" : ", " + key) + ": " + problem);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    public String file() {
        return file;
    }

    /** 1-based. */
    public int line() {
        return line;
    }

    /** The key path within the file ({@code holidays[3]}, {@code rules.SPLIT_PURCHASE.windowDays}), or null. */
    public String key() {
        return key;
    }
}
