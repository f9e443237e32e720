package yingyan.adapters.procurement;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader that knows the PHYSICAL line on which each record starts (a quoted field
 * may span lines, so record numbers and line numbers differ). CRLF, LF and a lone CR each end one line.
 * Holds one record at a time, never the file.
 *
 * <p>It does not give up on malformed input; it reports it on the record and carries on:
 * <ul>
 *   <li>a quote that never closes swallows the rest of the input (RFC 4180): one last record,
 *       {@link Problem#UNBALANCED_QUOTE}, starting where the row started;</li>
 *   <li>text after a closing quote ({@code "abc"def}) has no RFC 4180 reading:
 *       {@link Problem#TEXT_AFTER_QUOTE}, and reading goes on at the next comma or line end;</li>
 *   <li>a record of {@link #MAX_RECORD_CHARS} characters or more is kept cut at that length, its fields
 *       too (those begun before the cut): {@link Problem#TOO_LONG}.</li>
 * </ul>
 * A quote inside an unquoted field ({@code 5"}) is kept as a character, as spreadsheets do.
 */
final class CsvRecordReader implements Closeable {
    /** The longest record kept whole (a procurement row is a few hundred characters). */
    static final int MAX_RECORD_CHARS = 256 * 1024;

    enum Problem { UNBALANCED_QUOTE, TEXT_AFTER_QUOTE, TOO_LONG }

    /**
     * One record.
     *
     * @param fields the decoded fields (partial when {@code problem} is set)
     * @param line the physical line (1-based) on which the record starts
     * @param lines how many physical lines it spans
     * @param text the record exactly as read, with its line end (cut at {@link #MAX_RECORD_CHARS})
     * @param problem null for a well-formed record
     * @param problemField index of the field the problem is in, or -1
     */
    record CsvRecord(List<String> fields, long line, long lines, String text, Problem problem, int problemField) {
        /** No data at all: an empty line, or only separators and blanks (spreadsheets leave such rows). */
        boolean isBlank() {
            return problem == null && fields.stream().allMatch(String::isBlank);
        }
    }

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private final Reader in;
    private final char[] buf = new char[8192];
    private int pos;
    private int len;
    private boolean eof;
    private long line = 1;

    CsvRecordReader(Reader in) {
        this.in = in;
    }

    /** The next record, or null at the end of the input. */
    CsvRecord next() throws IOException {
        if (peek() < 0) {
            return null;
        }
        long startLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        StringBuilder text = new StringBuilder();
        State state = State.FIELD_START;
        Problem problem = null;
        int problemField = -1;
        boolean endedByBreak = false;
        int c;
        read:
        while ((c = read()) >= 0) {
            String lineBreak = c == '\r' || c == '\n' ? endLine(c) : null;
            boolean cut = text.length() >= MAX_RECORD_CHARS;
            if (!cut) {
                if (lineBreak != null) {
                    text.append(lineBreak);
                } else {
                    text.append((char) c);
                }
            }
            switch (state) {
                case FIELD_START, UNQUOTED -> {
                    if (c == ',') {
                        endField(fields, field, cut);
                        state = State.FIELD_START;
                    } else if (lineBreak != null) {
                        endedByBreak = true;
                        break read;
                    } else if (c == '"' && state == State.FIELD_START) {
                        state = State.QUOTED;
                    } else {
                        append(field, c, cut);
                        state = State.UNQUOTED;
                    }
                }
                case QUOTED -> {
                    if (c == '"') {
                        state = State.QUOTE_IN_QUOTED;
                    } else if (lineBreak != null) {
                        if (!cut) {
                            field.append(lineBreak); // a line break inside a quoted field is data, kept as written
                        }
                    } else {
                        append(field, c, cut);
                    }
                }
                case QUOTE_IN_QUOTED -> {
                    if (c == '"') {
                        append(field, c, cut);
                        state = State.QUOTED;
                    } else if (c == ',') {
                        endField(fields, field, cut);
                        state = State.FIELD_START;
                    } else if (lineBreak != null) {
                        endedByBreak = true;
                        break read;
                    } else {
                        if (problem == null) {
                            problem = Problem.TEXT_AFTER_QUOTE;
                            problemField = fields.size();
                        }
                        append(field, c, cut);
                        state = State.UNQUOTED;
                    }
                }
            }
        }
        if (!endedByBreak && state == State.QUOTED) {
            problem = Problem.UNBALANCED_QUOTE;
            problemField = fields.size();
        }
        fields.add(field.toString());
        if (problem == null && text.length() >= MAX_RECORD_CHARS) {
            problem = Problem.TOO_LONG;
        }
        // The line count so far includes the break that ended the record (or a final one swallowed by a quote).
        char last = text.isEmpty() ? 0 : text.charAt(text.length() - 1);
        long lastLine = endedByBreak || last == '\n' || last == '\r' ? line - 1 : line;
        return new CsvRecord(List.copyOf(fields), startLine, lastLine - startLine + 1, text.toString(), problem,
                problemField);
    }

    /**
     * Ends a field at a separator. Past the cut nothing more is kept, fields neither: a row of nothing but
     * separators would otherwise hold one empty field per character however long it runs.
     */
    private static void endField(List<String> fields, StringBuilder field, boolean cut) {
        if (!cut) {
            fields.add(field.toString());
            field.setLength(0);
        }
    }

    private static void append(StringBuilder field, int c, boolean cut) {
        if (!cut) {
            field.append((char) c);
        }
    }

    /** Counts one physical line for CR, LF or CRLF (the LF of a CRLF is consumed); returns the break as written. */
    private String endLine(int c) throws IOException {
        line++;
        if (c == '\r' && peek() == '\n') {
            read();
            return "\r\n";
        }
        return c == '\r' ? "\r" : "\n";
    }

    private int peek() throws IOException {
        if (pos >= len && !fill()) {
            return -1;
        }
        return buf[pos];
    }

    private int read() throws IOException {
        if (pos >= len && !fill()) {
            return -1;
        }
        return buf[pos++];
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        len = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
