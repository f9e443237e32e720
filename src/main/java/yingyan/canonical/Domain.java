package yingyan.canonical;

/** The kind of administrative power or public resource a record is about. */
public enum Domain {
    APPROVAL, HOUSING_FUND, LAND_TRANSFER, PROCUREMENT,
    /** Administrative penalties (the industry and commerce bureau). */
    PENALTY,
    /** Treasury payments of public funds. */
    PUBLIC_FUND,
    /** Construction bidding at the public resource trading centre (added 2026-12). */
    BIDDING,
    /** Mining-right transfers at the trading centre (added 2026-12). */
    MINING_RIGHT,
    /** State-owned property transactions at the trading centre (added 2026-12). */
    STATE_PROPERTY
}
