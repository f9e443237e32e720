package yingyan.web;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL behind a {@link ListPage}: optional filters (a null value filters nothing), then the rows before the
 * cursor's position on one key column, highest first.
 */
public final class ListQuery {
    private final StringBuilder sql;
    private final List<Object> args = new ArrayList<>();

    /** {@code select} is the query up to its FROM clause, without a WHERE. */
    public ListQuery(String select) {
        this.sql = new StringBuilder(select).append(" WHERE 1 = 1");
    }

    /** Adds {@code AND condition} with its one {@code ?} bound to value, unless the value is null. */
    public ListQuery and(String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
        return this;
    }

    /** Adds {@code AND condition} with all its parameters (a person's grants, {@link Grants#where}). */
    public ListQuery and(Grants.Sql condition) {
        sql.append(" AND ").append(condition.condition());
        args.addAll(condition.args());
        return this;
    }

    /** Ends the query: rows with {@code key} below {@code before} (all when null), highest key first, at most limit. */
    public ListQuery page(String key, Long before, int limit) {
        and(key + " < ?", before);
        sql.append(" ORDER BY ").append(key).append(" DESC LIMIT ?");
        args.add(limit);
        return this;
    }

    public String sql() {
        return sql.toString();
    }

    public Object[] args() {
        return args.toArray();
    }
}
