package yingyan.canonical;

/** The kind of administrative power or public resource a record is about. */
public enum Domain {
    APPROVAL, HOUSING_FUND, LAND_TRANSFER, PROCUREMENT,
    /** Reserved for the penalties adapter (planned). */
    PENALTY,
    /** Reserved for the public-funds adapter (planned). */
    PUBLIC_FUND
}
