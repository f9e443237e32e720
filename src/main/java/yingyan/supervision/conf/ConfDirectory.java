package yingyan.supervision.conf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * A directory of supervision files: on the file system when it exists there (then it can be hot reloaded),
 * else the copy in the jar (conf/ travels on the class path). Files are read whole (they are small, kept by
 * hand) as UTF-8 and handed out sorted by name, each under the name messages use for it.
 */
public final class ConfDirectory {
    private final String property;
    private final String dir;
    private final Path path;

    private ConfDirectory(String property, String dir, Path path) {
        this.property = property;
        this.dir = dir;
        this.path = path;
    }

    /**
     * The directory {@code dir} as set by {@code property}; refuses when it is neither a directory nor on the
     * class path, since a calendar or rule set that silently vanished would change every alert.
     */
    public static ConfDirectory of(String property, String dir) {
        Path p = Path.of(dir);
        if (Files.isDirectory(p)) {
            return new ConfDirectory(property, dir, p);
        }
        ConfDirectory onClassPath = new ConfDirectory(property, dir, null);
        if (onClassPath.resources().length == 0) {
            throw new ConfFileException(dir, 1, property, "neither a directory nor in the jar's conf/"
                    + " (working directory " + Path.of("").toAbsolutePath() + ")");
        }
        return onClassPath;
    }

    /** Whether the files are on the file system (and so can change while the hub runs). */
    public boolean onFileSystem() {
        return path != null;
    }

    /** The name a message gives the file {@code name}: the path as configured, or its class path location. */
    public String location(String name) {
        return path != null ? path.resolve(name).toString() : "classpath:" + classPathDir() + "/" + name;
    }

    /** The files whose names {@code names} accepts, by name, with their text. */
    public Map<String, String> read(Predicate<String> names) {
        Map<String, String> files = new TreeMap<>();
        try {
            if (path != null) {
                try (Stream<Path> list = Files.list(path)) {
                    for (Path f : list.filter(Files::isRegularFile).toList()) {
                        String name = f.getFileName().toString();
                        if (names.test(name)) {
                            files.put(name, text(name, Files.readAllBytes(f)));
                        }
                    }
                }
            } else {
                for (Resource r : resources()) {
                    String name = r.getFilename();
                    if (name != null && names.test(name)) {
                        try (InputStream in = r.getInputStream()) {
                            files.put(name, text(name, in.readAllBytes()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfFileException(dir, 1, property, "cannot be read: " + e);
        }
        return files;
    }

    private String text(String name, byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfFileException(location(name), 1, null, "not UTF-8 text");
        }
    }

    private String classPathDir() {
        String d = dir.replace('\\', '/');
        while (d.startsWith("./")) {
            d = d.substring(2);
        }
        return d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
    }

    private Resource[] resources() {
        try {
            return new PathMatchingResourcePatternResolver().getResources("classpath*:" + classPathDir() + "/*");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
