package yingyan.canonical;

/** Amount kinds, declared in the order the canonical model lists them (amounts are sorted by it). */
public enum AmountKind {
    FEE, BUDGET, CONTRACT, START_PRICE, DEAL_PRICE, WITHDRAWAL, LOAN, FINE, CONFISCATION, PAYMENT,
    /** Appraised value of state property (added 2026-12, last in the order so older records sort as before). */
    APPRAISAL
}
