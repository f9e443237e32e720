package yingyan.supervision.conf;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A node of a supervision configuration file, read with SnakeYAML's node API so that every value keeps its
 * line: whatever is wrong in the file is reported as {@code file line N, key: problem}
 * ({@link ConfFileException}). Only plain data: mappings with string keys (a key given twice is refused),
 * sequences and scalars; values are read from their text, never constructed into objects.
 */
public final class YamlNode {
    private final String file;
    private final String key;
    private final Node node;

    private YamlNode(String file, String key, Node node) {
        this.file = file;
        this.key = key;
        this.node = node;
    }

    /** Parses a whole file; an empty file gives null. */
    public static YamlNode parse(String file, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        try {
            Node root = new Yaml(options).compose(new StringReader(text));
            return root == null ? null : new YamlNode(file, "", root);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new ConfFileException(file, line, null, "not readable as YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfFileException(file, 1, null, "not readable as YAML: " + e.getMessage());
        }
    }

    public String file() {
        return file;
    }

    /** The key path of this node within its file. */
    public String key() {
        return key;
    }

    /** 1-based. */
    public int line() {
        return node.getStartMark().getLine() + 1;
    }

    public ConfFileException error(String problem) {
        return new ConfFileException(file, line(), key, problem);
    }

    /** The entries of a mapping in file order; anything else, a non-scalar key or a key given twice is refused. */
    public Map<String, YamlNode> entries() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("expected a mapping (key: value), found " + kind());
        }
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlNode(file, key, t.getKeyNode()).error("a key must be plain text");
            }
            String name = k.getValue();
            String path = key.isEmpty() ? name : key + "." + name;
            if (keyLines.containsKey(name)) {
                throw new YamlNode(file, path, k).error("given twice (first on line " + keyLines.get(name) + ")");
            }
            keyLines.put(name, k.getStartMark().getLine() + 1);
            entries.put(name, new YamlNode(file, path, t.getValueNode()));
        }
        return entries;
    }

    /** The items of a sequence; an empty value ({@code holidays:}) is an empty list. */
    public List<YamlNode> items() {
        if (isNull()) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw error("expected a list, found " + kind());
        }
        List<YamlNode> items = new ArrayList<>();
        for (Node n : sequence.getValue()) {
            items.add(new YamlNode(file, key + "[" + items.size() + "]", n));
        }
        return items;
    }

    /** The text of a scalar, as written (a date stays {@code 2026-01-01}, quoted or not). */
    public String text() {
        if (!(node instanceof ScalarNode scalar)) {
            throw error("expected a single value, found " + kind());
        }
        return scalar.getValue().trim();
    }

    public boolean isNull() {
        return node instanceof ScalarNode s && ("null".equals(s.getTag().getValue().replace("tag:yaml.org,2002:", ""))
                || s.getValue().isEmpty() || "~".equals(s.getValue()));
    }

    public boolean bool() {
        String t = text();
        if ("true".equals(t)) {
            return true;
        }
        if ("false".equals(t)) {
            return false;
        }
        throw error("'" + t + "' is not true or false");
    }

    /** A whole number at least {@code min}. */
    public int integer(int min) {
        String t = text();
        int v;
        try {
            v = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw error("'" + t + "' is not a whole number");
        }
        if (v < min) {
            throw error(v + " is below the least allowed value " + min + (min == 0 ? " (negative)" : ""));
        }
        return v;
    }

    /** An amount in yuan: a non-negative decimal with at most two fraction digits ("1000000.00"). */
    public BigDecimal amount() {
        BigDecimal v = decimal();
        if (v.signum() < 0) {
            throw error(t() + " is negative");
        }
        if (v.scale() > 2) {
            throw error(t() + " has more than two fraction digits (yuan.fen)");
        }
        return v.setScale(2);
    }

    /** A share between 0 and 1 ("0.90"). */
    public BigDecimal share() {
        BigDecimal v = decimal();
        if (v.signum() < 0) {
            throw error(t() + " is negative");
        }
        if (v.compareTo(BigDecimal.ONE) > 0) {
            throw error(t() + " is above 1 (a share: 0.90 is 90 %)");
        }
        return v;
    }

    private String t() {
        return "'" + text() + "'";
    }

    private BigDecimal decimal() {
        String t = text().replace("_", "");
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw error("'" + text() + "' is not a number");
        }
    }

    private String kind() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
