package yingyan.adapters.landtransfer;

import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import yingyan.canonical.RegionCodes;
import yingyan.canonical.ResidentIds;
import yingyan.spi.SourceItem;

/**
 * Streams one export with StAX and hands every {@code <Transfer>} to a {@link Sink} as a self-sufficient
 * source item, in document order, never holding more than one Transfer. What cannot be read as
 * Transfers becomes a {@link Problem} (one quarantine entry): a refused DOCTYPE, a file that is not a
 * land-transfer export, an unknown region, a Transfer too big to hold, and the remainder of a file that
 * stops being well-formed (the Transfers before the break still go through).
 *
 * <p>The item bytes are the Transfer in a stable serialisation (see {@link TransferXml}), so a
 * re-export repeating a Transfer byte for byte gives the same payload hash.
 */
final class ExportReader {
    static final String ROOT = "LandTransferExport";
    static final String TRANSFER = "Transfer";
    static final String FILE_FIELD = "(file)";

    /** Receives what the reader finds, in order; its exceptions (e.g. a failed submit) stop the read. */
    interface Sink {
        void item(SourceItem item);

        void problem(Problem problem);
    }

    /**
     * A part of the file that cannot become records: one quarantine entry.
     *
     * @param raw at most 64 KB of the bytes concerned, in {@code charset}
     */
    record Problem(String sourceKey, String origin, String field, String reason, byte[] raw, Charset charset) {
        @Override
        public String toString() {
            return "Problem[" + origin + ", " + field + ": " + reason + "]";
        }
    }

    /**
     * @param transfers Transfers handed to the sink as items
     * @param problems problems handed to the sink
     * @param failed whether the file goes to failed/ (refused, not an export, or not well-formed)
     */
    record Result(long transfers, long problems, boolean failed) {
    }

    private final String adapterId;
    private final long maxTransferBytes;

    ExportReader(String adapterId, long maxTransferBytes) {
        this.adapterId = adapterId;
        this.maxTransferBytes = maxTransferBytes;
    }

    /**
     * Reads {@code file} (already scanned) and feeds the sink.
     *
     * @throws IOException when the file cannot be read at all (the caller retries later)
     */
    Result read(Path file, String fileName, ExportScan scan, OffsetDateTime fetchedAt, Sink sink) throws IOException {
        if (scan.refused()) {
            sink.problem(new Problem(null, fileName, FILE_FIELD, SafeXml.REFUSED + " (line " + scan.refusedAtLine()
                    + "): the file is not read; nothing in it is resolved", scan.head(), scan.declaredCharset()));
            return new Result(0, 1, true);
        }
        try (InputStream in = new MarkupGuard(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                maxTransferBytes)) {
            return new Run(file, fileName, scan, fetchedAt, sink).read(in);
        }
    }

    /** The state of reading one file. */
    private final class Run {
        private final Path file;
        private final String fileName;
        private final ExportScan scan;
        private final OffsetDateTime fetchedAt;
        private final Sink sink;
        private XMLStreamReader r;
        private long transfers;
        private long problems;
        private int transferLine; // > 0 while inside a Transfer
        private String transferKey;

        Run(Path file, String fileName, ExportScan scan, OffsetDateTime fetchedAt, Sink sink) {
            this.file = file;
            this.fileName = fileName;
            this.scan = scan;
            this.fetchedAt = fetchedAt;
            this.sink = sink;
        }

        Result read(InputStream in) throws IOException {
            try {
                r = SafeXml.factory().createXMLStreamReader(in);
                int ev = next();
                while (ev != XMLStreamConstants.START_ELEMENT) {
                    if (ev == XMLStreamConstants.DTD) {
                        return fileProblem(FILE_FIELD, SafeXml.REFUSED + ": the file is not read; nothing in it is"
                                + " resolved");
                    }
                    ev = next();
                }
                if (!ROOT.equals(r.getLocalName())) {
                    return fileProblem(FILE_FIELD, "root element <" + r.getLocalName() + "> is not <" + ROOT
                            + ">: not a land-transfer export");
                }
                String region = trimmed(r.getAttributeValue(null, "region"));
                if (region == null || !RegionCodes.isKnown(region)) {
                    return fileProblem(ROOT + "/@region", "LandTransferExport/@region = '"
                            + (region == null ? "" : region) + "': "
                            + (region == null ? "is required" : "unknown GB/T 2260 region code")
                            + " (every Transfer takes its region from it); the file is not read");
                }
                String count = trimmed(r.getAttributeValue(null, "count"));
                readTransfers(region);
                return checkCount(count);
            } catch (XMLStreamException e) {
                if (e.getNestedException() instanceof IOException io && !(io instanceof CharConversionException)
                        && !(io instanceof CharacterCodingException) && !(io instanceof MarkupGuard.TooLong)) {
                    throw io; // the disk, not the content: read the file again later
                }
                return notWellFormed(e);
            }
        }

        /** Reads up to the root's end tag and then to the end of the document. */
        private void readTransfers(String region) throws XMLStreamException {
            for (int ev = next(); ev != XMLStreamConstants.END_DOCUMENT; ev = next()) {
                switch (ev) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (TRANSFER.equals(r.getLocalName())) {
                            transfer(region);
                        } else {
                            skipElement(region); // unknown extra elements are ignored
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw entityReference();
                    case XMLStreamConstants.DTD -> throw new XMLStreamException(SafeXml.REFUSED, r.getLocation());
                    default -> {
                        // text between Transfers, comments, the root's end tag: nothing to read
                    }
                }
            }
        }

        private void transfer(String region) throws XMLStreamException {
            transferLine = r.getLocation().getLineNumber();
            transferKey = null;
            TransferXml.Captured c = TransferXml.capture(r, this::next, region, maxTransferBytes,
                    key -> transferKey = key);
            String origin = fileName + " line " + transferLine;
            if (c.oversized()) {
                problems++;
                sink.problem(new Problem(transferKey, origin, TRANSFER, "Transfer is larger than " + maxTransferBytes
                        + " bytes once serialised (hub.adapters.land-transfer.max-transfer-size): not read",
                        head(c.bytes()), StandardCharsets.UTF_8));
            } else {
                transfers++;
                sink.item(SourceItem.utf8(adapterId, c.parcelNo(), c.bytes(), origin, fetchedAt));
            }
            transferLine = 0;
            transferKey = null;
        }

        /** Skips an unknown element; a Transfer inside it is still read (never dropped unseen). */
        private void skipElement(String region) throws XMLStreamException {
            for (int depth = 1; depth > 0; ) {
                int ev = next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    if (TRANSFER.equals(r.getLocalName())) {
                        transfer(region);
                    } else {
                        depth++;
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                } else if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw entityReference();
                }
            }
        }

        private XMLStreamException entityReference() {
            return new XMLStreamException("undeclared entity reference &" + r.getLocalName()
                    + "; (an export declares no entities)", r.getLocation());
        }

        private Result checkCount(String count) {
            if (count == null) {
                return new Result(transfers, problems, false);
            }
            long declared;
            try {
                declared = Long.parseLong(count);
            } catch (NumberFormatException e) {
                declared = -1;
            }
            long elements = transfers + problems; // problems so far: oversized Transfers
            if (declared == elements) {
                return new Result(transfers, problems, false);
            }
            // The Transfers that were read are queued; the file goes to failed/ so that someone asks the bureau.
            return fileProblem(ROOT + "/@count", "LandTransferExport/@count = '" + count + "' but the file holds "
                    + elements + " Transfer elements (all of them were read): ask the bureau whether the export is"
                    + " complete");
        }

        private Result fileProblem(String field, String reason) {
            problems++;
            sink.problem(new Problem(null, fileName, field, reason, scan.head(), scan.declaredCharset()));
            return new Result(transfers, problems, true);
        }

        private Result notWellFormed(XMLStreamException e) throws IOException {
            Location at = e.getLocation() != null ? e.getLocation() : r == null ? null : r.getLocation();
            int line = at == null || at.getLineNumber() < 1 ? 1 : at.getLineNumber();
            int column = at == null ? -1 : at.getColumnNumber();
            int from = transferLine > 0 ? transferLine : line;
            // Refused by MarkupGuard (a construct too long to hold) is not a syntax error: say so.
            String what = e.getNestedException() instanceof MarkupGuard.TooLong ? "refused" : "not well-formed XML";
            String reason = what + " at line " + line + (column > 0 ? ", column " + column : "") + ": "
                    + message(e) + "; the " + transfers + " Transfers before line " + from + " were read, the"
                    + " remainder of the file from line " + from + " was not";
            problems++;
            sink.problem(new Problem(transferKey, fileName + " line " + from, FILE_FIELD, ResidentIds.maskAll(reason),
                    remainder(from), scan.declaredCharset()));
            return new Result(transfers, problems, true);
        }

        /** At most 64 KB of the file from the start of line {@code from}. LF is one byte in UTF-8 and GB18030. */
        private byte[] remainder(int from) throws IOException {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                int line = 1;
                int b;
                while (line < from && (b = in.read()) >= 0) {
                    if (b == '\n') {
                        line++;
                    }
                }
                return in.readNBytes(ExportScan.HEAD_LIMIT);
            }
        }

        /** The parser's next event; whatever the parser throws is a well-formedness problem of the file. */
        private int next() throws XMLStreamException {
            try {
                return r.next();
            } catch (XMLStreamException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new XMLStreamException(e.getClass().getSimpleName() + ": " + e.getMessage(), r.getLocation(), e);
            }
        }
    }

    static String message(XMLStreamException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int i = m.indexOf("Message: ");
        return (i >= 0 ? m.substring(i + "Message: ".length()) : m).strip();
    }

    private static byte[] head(byte[] bytes) {
        if (bytes.length <= ExportScan.HEAD_LIMIT) {
            return bytes;
        }
        byte[] h = new byte[ExportScan.HEAD_LIMIT];
        System.arraycopy(bytes, 0, h, 0, h.length);
        return h;
    }

    static String trimmed(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
