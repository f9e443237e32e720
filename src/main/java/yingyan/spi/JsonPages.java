package yingyan.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import yingyan.canonical.JsonLimits;

/**
 * Reads a page of items that a source answers as one JSON object ({@code {"items": [...], ...}}) so that
 * one bad item costs that item only. A page is first read whole (the usual case). When that fails — an
 * item nested deeper or with a longer string than {@link JsonLimits} allows, bytes that are not UTF-8
 * inside an item — the page is cut into its items by their brackets and quotes alone (no limit is
 * involved: nothing is built, only a depth is counted), the rest of the page is read without them, and
 * each item is read on its own: the good ones go on, each bad one is handed on with its exact bytes and
 * the reason (to be quarantined). A page whose brackets do not even balance, or whose own members (outside
 * the items) break a rule, still fails as a whole.
 */
public final class JsonPages {
    private JsonPages() {
    }

    /**
     * One element of the page's array.
     *
     * @param node the element as read; null when it could not be read
     * @param raw the element's exact bytes when it could not be read, else null
     * @param error why it could not be read (limits named), else null
     */
    public record Item(JsonNode node, byte[] raw, String error) {
        public boolean refused() {
            return node == null;
        }
    }

    /**
     * @param root the page object (its array member as read, or empty when the page had to be cut)
     * @param items the array's elements in page order, or null when the member is absent or not an array
     */
    public record Page(JsonNode root, List<Item> items) {
    }

    /**
     * Reads {@code body}.
     *
     * @throws IOException when the page cannot be read (not JSON, not balanced, its own members refused);
     *         {@link JsonLimits#describe} words it
     */
    public static Page read(byte[] body, String arrayMember, ObjectMapper reader) throws IOException {
        JsonNode root;
        try {
            root = readOne(body, reader);
        } catch (IOException whole) {
            Split split = split(body, arrayMember);
            if (split == null) {
                throw whole;
            }
            JsonNode skeleton = readOne(split.skeleton(), reader); // the page without its items
            List<Item> items = new ArrayList<>(split.items().size());
            for (byte[] raw : split.items()) {
                try {
                    items.add(new Item(readOne(raw, reader), null, null));
                } catch (IOException e) {
                    items.add(new Item(null, raw, JsonLimits.describe(e)));
                }
            }
            return new Page(skeleton, items);
        }
        JsonNode array = root.isObject() ? root.get(arrayMember) : null;
        if (array == null || !array.isArray()) {
            return new Page(root, null);
        }
        List<Item> items = new ArrayList<>(array.size());
        array.forEach(n -> items.add(new Item(n, null, null)));
        return new Page(root, items);
    }

    private static JsonNode readOne(byte[] json, ObjectMapper reader) throws IOException {
        JsonNode node = reader.readTree(json);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty body: no JSON document");
        }
        return node;
    }

    /** The page with {@code "member": []} in place of its array, and the array's elements as bytes. */
    record Split(byte[] skeleton, List<byte[]> items) {
    }

    /**
     * Cuts a page into its array's elements by structure alone: strings are skipped to their closing quote
     * (escapes honoured, their bytes never decoded), brackets are matched on a byte stack. Null when the
     * body is not one object holding {@code member} as an array at its top level, or does not balance.
     */
    static Split split(byte[] b, String member) {
        byte[] key = ("\"" + member + "\"").getBytes(StandardCharsets.UTF_8);
        byte[] stack = new byte[64];
        int depth = 0;
        int arrayOpen = -1;
        int arrayClose = -1;
        boolean keyWasMember = false; // the last string read at depth 1 was the member's name
        boolean inArray = false;
        int itemStart = -1;
        int lastEnd = -1; // index after the last non-blank byte inside the current item
        List<byte[]> items = new ArrayList<>();
        boolean afterComma = false; // inside the array, a ',' was read and no element after it yet
        boolean bom = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
        int i = skipBlank(b, bom ? 3 : 0);
        if (i >= b.length || b[i] != '{') {
            return null;
        }
        for (; i < b.length; i++) {
            byte c = b[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (inArray && depth == 2 && itemStart < 0 && c != ']' && c != ',') {
                itemStart = i;
                afterComma = false;
            }
            switch (c) {
                case '"' -> {
                    int end = endOfString(b, i);
                    if (end < 0) {
                        return null;
                    }
                    if (depth == 1) {
                        keyWasMember = end - i + 1 == key.length
                                && Arrays.equals(b, i, end + 1, key, 0, key.length);
                    }
                    i = end;
                }
                case '{', '[' -> {
                    if (depth == 1 && c == '[' && keyWasMember && arrayOpen < 0) {
                        arrayOpen = i;
                        inArray = true;
                    }
                    if (depth == stack.length) {
                        stack = Arrays.copyOf(stack, depth * 2);
                    }
                    stack[depth++] = c;
                }
                case '}', ']' -> {
                    if (depth == 0 || stack[depth - 1] != (c == '}' ? '{' : '[')) {
                        return null;
                    }
                    if (inArray && depth == 2 && c == ']') {
                        if (afterComma) {
                            return null; // a trailing comma: [1,2,]
                        }
                        if (itemStart >= 0) {
                            items.add(Arrays.copyOfRange(b, itemStart, lastEnd));
                        }
                        arrayClose = i;
                        inArray = false;
                    }
                    depth--;
                    if (depth == 0 && skipBlank(b, i + 1) != b.length) {
                        return null; // something after the page
                    }
                }
                case ',' -> {
                    if (inArray && depth == 2) {
                        if (itemStart < 0) {
                            return null; // an empty element: [1,,2]
                        }
                        items.add(Arrays.copyOfRange(b, itemStart, lastEnd));
                        itemStart = -1;
                        afterComma = true;
                        continue;
                    }
                }
                default -> {
                    // literals, numbers, ':' — structure only
                }
            }
            if (c != ':' && c != ',') {
                keyWasMember &= c == '"';
            }
            lastEnd = i + 1;
        }
        if (depth != 0 || arrayOpen < 0 || arrayClose < 0) {
            return null;
        }
        ByteArrayOutputStream skeleton = new ByteArrayOutputStream(arrayOpen + (b.length - arrayClose) + 2);
        skeleton.write(b, 0, arrayOpen);
        skeleton.write('[');
        skeleton.write(']');
        skeleton.write(b, arrayClose + 1, b.length - arrayClose - 1);
        return new Split(skeleton.toByteArray(), items);
    }

    /** Index of the quote closing the string opened at {@code open}, or -1. */
    private static int endOfString(byte[] b, int open) {
        for (int i = open + 1; i < b.length; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int skipBlank(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
            i++;
        }
        return i;
    }
}
