package yingyan.adapters.landtransfer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The stable serialisation of one {@code <Transfer>}: the bytes of a land-transfer source item, hashed
 * for {@code source.payloadSha256} and kept in quarantine. It depends only on the Transfer's content
 * and the export's region, never on the file's encoding, indentation, comments or export time, so a
 * re-export repeating a Transfer byte for byte hashes the same, and any changed value hashes differently.
 *
 * <ul>
 *   <li>UTF-8, no XML declaration, no BOM, no line breaks added;</li>
 *   <li>the Transfer element with an added attribute {@code region} = the export's
 *       {@code LandTransferExport/@region} (unless the Transfer carries its own {@code region});</li>
 *   <li>elements in document order, names as written (prefix:local), namespace declarations and
 *       attributes written as {@code name="value"}, sorted by name;</li>
 *   <li>every element written as a start and an end tag, also when empty: {@code <PaidAt></PaidAt>};</li>
 *   <li>text of an element without child elements kept exactly (whitespace included); whitespace-only
 *       text between child elements (indentation) dropped; comments and processing instructions dropped;
 *       CDATA written as escaped text;</li>
 *   <li>escapes: in text {@code & < >} and CR as {@code &amp; &lt; &gt; &#13;}; in attribute values
 *       {@code & < "} and TAB, LF, CR as {@code &amp; &lt; &quot; &#9; &#10; &#13;}.</li>
 * </ul>
 */
final class TransferXml {
    /** The parser's next event, with whatever it throws turned into an {@link XMLStreamException}. */
    interface Events {
        int next() throws XMLStreamException;
    }

    /**
     * @param bytes the serialisation (cut at the limit when oversized)
     * @param parcelNo the trimmed text of the direct child {@code ParcelNo}, null when absent or empty
     * @param oversized whether the serialisation exceeded the limit
     */
    record Captured(byte[] bytes, String parcelNo, boolean oversized) {
    }

    private TransferXml() {
    }

    /**
     * Serialises the element the reader is on (a START_ELEMENT) and everything in it; on return the reader
     * is on its END_ELEMENT. {@code parcelNoSeen} hears the ParcelNo as soon as it is read (so that a
     * break later in the Transfer can still name it).
     */
    static Captured capture(XMLStreamReader r, Events events, String region, long maxBytes,
                            Consumer<String> parcelNoSeen) throws XMLStreamException {
        int limit = (int) Math.min(Integer.MAX_VALUE - 16, maxBytes);
        StringBuilder out = new StringBuilder(1024);
        StringBuilder text = new StringBuilder(64);
        boolean[] hasChild = new boolean[16];
        int depth = 0;
        boolean oversized = false;
        String parcelNo = null;
        startTag(out, r, region);
        depth++;
        while (depth > 0) {
            int ev = events.next();
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (!isWhitespace(text)) {
                        escapeText(out, text); // mixed content: kept where it was
                    }
                    text.setLength(0);
                    hasChild[depth - 1] = true;
                    if (depth == hasChild.length) {
                        hasChild = Arrays.copyOf(hasChild, depth * 2);
                    }
                    hasChild[depth] = false;
                    startTag(out, r, null);
                    depth++;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (text.length() <= limit) {
                        text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    depth--;
                    if (!hasChild[depth] || !isWhitespace(text)) {
                        escapeText(out, text);
                    }
                    if (depth == 1 && "ParcelNo".equals(r.getLocalName()) && nz(r.getPrefix()).isEmpty()) {
                        parcelNo = ExportReader.trimmed(text.toString());
                        parcelNoSeen.accept(parcelNo);
                    }
                    text.setLength(0);
                    out.append("</").append(qname(r.getPrefix(), r.getLocalName())).append('>');
                }
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new XMLStreamException("undeclared entity reference &"
                        + r.getLocalName() + "; (an export declares no entities)", r.getLocation());
                case XMLStreamConstants.DTD -> throw new XMLStreamException(SafeXml.REFUSED, r.getLocation());
                default -> {
                    // comments and processing instructions are not content
                }
            }
            if (out.length() > limit) {
                oversized = true;
                out.setLength(limit); // keep reading to the end of the element, holding no more of it
            }
        }
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        return new Captured(bytes, parcelNo, oversized || bytes.length > maxBytes);
    }

    private static void startTag(StringBuilder out, XMLStreamReader r, String region) {
        List<String[]> attrs = new ArrayList<>(r.getAttributeCount() + r.getNamespaceCount() + 1);
        boolean ownRegion = false;
        for (int i = 0; i < r.getNamespaceCount(); i++) {
            String p = r.getNamespacePrefix(i);
            attrs.add(new String[]{p == null || p.isEmpty() ? "xmlns" : "xmlns:" + p, nz(r.getNamespaceURI(i))});
        }
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String name = qname(r.getAttributePrefix(i), r.getAttributeLocalName(i));
            ownRegion |= name.equals("region");
            attrs.add(new String[]{name, r.getAttributeValue(i)});
        }
        if (region != null && !ownRegion) {
            attrs.add(new String[]{"region", region});
        }
        attrs.sort((a, b) -> a[0].compareTo(b[0]));
        out.append('<').append(qname(r.getPrefix(), r.getLocalName()));
        for (String[] a : attrs) {
            out.append(' ').append(a[0]).append("=\"");
            escapeAttribute(out, a[1]);
            out.append('"');
        }
        out.append('>');
    }

    private static String qname(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static boolean isWhitespace(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private static void escapeText(StringBuilder out, CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\r' -> out.append("&#13;");
                default -> out.append(c);
            }
        }
    }

    private static void escapeAttribute(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '"' -> out.append("&quot;");
                case '\t' -> out.append("&#9;");
                case '\n' -> out.append("&#10;");
                case '\r' -> out.append("&#13;");
                default -> out.append(c);
            }
        }
    }
}
