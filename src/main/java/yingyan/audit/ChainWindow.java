package yingyan.audit;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams rows through a check that sees up to {@link #WINDOW} rows on either side of the one it checks,
 * so a break can be compared with its neighbours without holding the table.
 */
final class ChainWindow<T> {
    /** Rows on either side of a break that are tried as its true place. */
    static final int WINDOW = 8;

    private final List<T> rows = new ArrayList<>();
    private int next;

    interface Check<T> {
        void at(List<T> rows, int index) throws SQLException;
    }

    void add(T row, Check<T> check) throws SQLException {
        rows.add(row);
        while (rows.size() - next > WINDOW) {
            check.at(rows, next++);
            if (next > WINDOW) {
                rows.remove(0);
                next--;
            }
        }
    }

    void finish(Check<T> check) throws SQLException {
        while (next < rows.size()) {
            check.at(rows, next++);
        }
    }
}
