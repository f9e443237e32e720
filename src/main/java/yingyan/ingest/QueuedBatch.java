package yingyan.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.store.NewVersion;

/**
 * One batch of valid records as it travels through the ingest queue, from the ingest route to the persist
 * route: each record's canonical JSON, written once when it is normalised, with the few fields the version
 * rules need beside it, so persist stores the JSON as it comes instead of reading every record back into
 * objects and writing it again. Deflated: a page of 500 records is ≈ 500 KB of JSON and would otherwise be a
 * broker "large message" (streamed to its own file and handed over in chunks, costly on both sides); deflated
 * it is a few tens of KB and an ordinary journal record.
 *
 * <p>Layout (inside the deflate stream): the magic {@code YYB2}, the count, then per record: recordId, domain,
 * regionCode, departmentCode (nullable), system, key (nullable), updatedAt, payloadSha256, fetchedAt (nullable),
 * body. {@code YYB1} (before records kept their department code in a column, V18) is the same without
 * departmentCode, which is then read from the body; a queue left over from an upgrade drains. A time is its
 * epoch second, nano and offset, so it comes back exactly as written. A message that is a JSON array of
 * canonical records (what hubs before this format queued) is still read, so a queue left over from an
 * upgrade drains.
 */
public final class QueuedBatch {
    private static final int MAGIC = 0x59594232; // "YYB2"
    private static final int MAGIC_V1 = 0x59594231; // "YYB1": no departmentCode
    /** Far above any batch the hub forms (a page is ≤ 1 000 items); a count beyond it is a corrupt message. */
    private static final int MAX_RECORDS = 1_000_000;
    private static final TypeReference<List<CanonicalRecord>> LEGACY = new TypeReference<>() {
    };

    private QueuedBatch() {
    }

    /** The queued form of these validated records; each one's canonical JSON is written here, once. */
    public static byte[] encode(List<CanonicalRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(records.size() * 256);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater, 64 * 1024))) {
            out.writeInt(MAGIC);
            out.writeInt(records.size());
            for (CanonicalRecord r : records) {
                write(out, NewVersion.of(r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    /**
     * The versions of a queued batch, in batch order.
     *
     * @throws IOException when the message is neither this format nor a JSON array of canonical records
     */
    public static List<NewVersion> decode(byte[] message) throws IOException {
        if (message.length > 0 && message[0] == '[') {
            return legacy(message);
        }
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(message)))) {
            int magic = in.readInt();
            if (magic != MAGIC && magic != MAGIC_V1) {
                throw new IOException("not a queued batch (unknown format)");
            }
            int n = in.readInt();
            if (n < 0 || n > MAX_RECORDS) {
                throw new IOException("not a queued batch (record count " + n + ")");
            }
            List<NewVersion> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(magic == MAGIC ? read(in) : readV1(in));
            }
            return out;
        } catch (EOFException | ZipException e) {
            throw new IOException("not a queued batch (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static List<NewVersion> legacy(byte[] message) throws IOException {
        List<CanonicalRecord> records = CanonicalJson.mapper().readValue(message, LEGACY);
        return records.stream().map(NewVersion::of).toList();
    }

    private static void write(DataOutputStream out, NewVersion v) throws IOException {
        text(out, v.recordId());
        text(out, v.domain());
        text(out, v.regionCode());
        text(out, v.departmentCode());
        text(out, v.system());
        text(out, v.key());
        time(out, v.updatedAt());
        text(out, v.payloadSha256());
        time(out, v.fetchedAt());
        text(out, v.body());
    }

    private static NewVersion read(DataInputStream in) throws IOException {
        return new NewVersion(text(in), text(in), text(in), text(in), text(in), text(in), time(in), text(in),
                time(in), text(in));
    }

    /** A YYB1 record: the department code from its canonical JSON (only while an old queue drains). */
    private static NewVersion readV1(DataInputStream in) throws IOException {
        String recordId = text(in);
        String domain = text(in);
        String region = text(in);
        String system = text(in);
        String key = text(in);
        OffsetDateTime updated = time(in);
        String sha = text(in);
        OffsetDateTime fetched = time(in);
        String body = text(in);
        JsonNode code = CanonicalJson.mapper().readTree(body).at("/department/code");
        return new NewVersion(recordId, domain, region, code.isTextual() ? code.asText() : null, system, key, updated,
                sha, fetched, body);
    }

    /** A string as its UTF-8 length (−1 for null) and bytes; not writeUTF, which stops at 64 KB. */
    private static void text(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String text(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0) {
            throw new IOException("not a queued batch (string length " + n + ")");
        }
        return new String(readExactly(in, n), StandardCharsets.UTF_8);
    }

    /** Reads n bytes without trusting n for an allocation up front (a corrupt length fails at the end of the data). */
    private static byte[] readExactly(DataInputStream in, int n) throws IOException {
        if (n <= 1 << 20) {
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        byte[] chunk = new byte[64 * 1024];
        int left = n;
        while (left > 0) {
            int r = in.read(chunk, 0, Math.min(chunk.length, left));
            if (r < 0) {
                throw new EOFException();
            }
            out.write(chunk, 0, r);
            left -= r;
        }
        return out.toByteArray();
    }

    private static void time(DataOutputStream out, OffsetDateTime t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            Instant i = t.toInstant();
            out.writeLong(i.getEpochSecond());
            out.writeInt(i.getNano());
            out.writeInt(t.getOffset().getTotalSeconds());
        }
    }

    private static OffsetDateTime time(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        long second = in.readLong();
        int nano = in.readInt();
        int offset = in.readInt();
        try {
            return OffsetDateTime.ofInstant(Instant.ofEpochSecond(second, nano), ZoneOffset.ofTotalSeconds(offset));
        } catch (DateTimeException e) {
            throw new IOException("not a queued batch (time " + second + "/" + nano + "/" + offset + ")", e);
        }
    }
}
