package yingyan.adapters.housingfund;

import java.util.Arrays;
import java.util.Optional;

/** The two tables of the fund centre the hub reads, with their key column and record-key prefix. */
enum SourceTable {
    /** Withdrawals (提取). */
    GJJ_TQ("TQBH", "TQ-"),
    /** Loans (贷款). */
    GJJ_DK("DKBH", "DK-");

    /** The change-time column both tables carry, set by the centre's application. */
    static final String CHANGE_TIME = "GXSJ";

    private final String keyColumn;
    private final String keyPrefix;

    SourceTable(String keyColumn, String keyPrefix) {
        this.keyColumn = keyColumn;
        this.keyPrefix = keyPrefix;
    }

    String keyColumn() {
        return keyColumn;
    }

    /** The canonical source key of a row: TQ-{TQBH} or DK-{DKBH}. */
    String sourceKey(String key) {
        return keyPrefix + key;
    }

    /** The column as named in quarantine reasons: {@code GJJ_TQ.SFZH}. */
    String field(String column) {
        return name() + "." + column;
    }

    static Optional<SourceTable> byName(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }
}
