package yingyan.adapters.landtransfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Sits between an export and the StAX parser and refuses, before the parser holds it, a single piece of
 * markup longer than the limit: a start or end tag (with its attributes), a comment, a CDATA section, a
 * processing instruction. The JDK's parser streams element text in chunks, but holds each of these whole
 * in memory, so one 1 GB attribute value or comment in an export would otherwise end the hub with an
 * OutOfMemoryError. Text between tags is not counted (the parser streams it; a Transfer's own size is
 * capped by {@code max-transfer-size} as it is captured).
 *
 * <p>Bytes only, no decoding: {@code < > " ' ! ? - [ ]} are ASCII in UTF-8 and GB18030. In GB18030 a trail
 * byte may be {@code [} or {@code ]}, so a CDATA section could be seen to end early by such a byte
 * followed by {@code ]>}; the guard then merely counts later markup from a later point (it can only refuse
 * later, never wrongly earlier than the limit of one construct).
 */
final class MarkupGuard extends FilterInputStream {
    /** The read that crossed the limit: a content problem of the file, not a disk failure. */
    static final class TooLong extends IOException {
        TooLong(String message) {
            super(message);
        }
    }

    private static final byte[] CDATA_OPEN = "[CDATA[".getBytes(StandardCharsets.US_ASCII);

    private enum State { TEXT, LT, BANG, TAG, COMMENT, CDATA, PI, DECL }

    private final long limit;
    private State state = State.TEXT;
    private long length; // bytes of the current construct
    private long line = 1;
    private long startLine;
    private byte quote; // inside a tag: the open quote, or 0
    private int match; // progress through "--", "[CDATA[" or the closing sequence

    MarkupGuard(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            see((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        for (int i = 0; i < n; i++) {
            see(buf[off + i]);
        }
        return n;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would make the guard count bytes twice
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(0, n))];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    private void see(byte b) throws IOException {
        if (b == '\n') {
            line++;
        }
        switch (state) {
            case TEXT -> {
                if (b == '<') {
                    state = State.LT;
                    length = 1;
                    startLine = line;
                }
            }
            case LT -> {
                count();
                if (b == '!') {
                    state = State.BANG;
                    match = 0;
                } else if (b == '?') {
                    state = State.PI;
                    match = 0;
                } else {
                    state = State.TAG;
                    quote = 0;
                    tag(b);
                }
            }
            case BANG -> {
                count();
                // "<!--" or "<![CDATA[" or a declaration (<!DOCTYPE is refused by the scan before reading)
                if (match == 0 && b == '-') {
                    match = -1;
                } else if (match == -1) {
                    state = b == '-' ? State.COMMENT : State.DECL;
                    match = 0;
                } else if (b == CDATA_OPEN[match]) {
                    if (++match == CDATA_OPEN.length) {
                        state = State.CDATA;
                        match = 0;
                    }
                } else {
                    state = State.DECL;
                    quote = 0;
                    tag(b);
                }
            }
            case TAG, DECL -> {
                count();
                tag(b);
            }
            case COMMENT -> {
                count();
                match = b == '-' ? Math.min(match + 1, 2) : b == '>' && match == 2 ? 3 : 0;
                if (match == 3) {
                    state = State.TEXT;
                }
            }
            case CDATA -> {
                count();
                match = b == ']' ? Math.min(match + 1, 2) : b == '>' && match == 2 ? 3 : 0;
                if (match == 3) {
                    state = State.TEXT;
                }
            }
            case PI -> {
                count();
                match = b == '?' ? 1 : b == '>' && match == 1 ? 2 : 0;
                if (match == 2) {
                    state = State.TEXT;
                }
            }
        }
    }

    private void tag(byte b) {
        if (quote != 0) {
            if (b == quote) {
                quote = 0;
            }
        } else if (b == '"' || b == '\'') {
            quote = b;
        } else if (b == '>') {
            state = State.TEXT;
        }
    }

    private void count() throws TooLong {
        if (++length > limit) {
            String what = switch (state) {
                case COMMENT -> "a comment";
                case CDATA -> "a CDATA section";
                case PI -> "a processing instruction";
                case DECL, BANG -> "a declaration";
                default -> quote != 0 ? "a tag (an attribute value)" : "a tag";
            };
            state = State.TEXT;
            throw new TooLong(what + " starting on line " + startLine + " is longer than " + limit
                    + " bytes (hub.adapters.land-transfer.max-transfer-size): refused before it is held in memory");
        }
    }
}
