package yingyan.canonical;

/** Amount kinds, declared in the order the canonical model lists them (amounts are sorted by it). */
public enum AmountKind {
    FEE, BUDGET, CONTRACT, START_PRICE, DEAL_PRICE, WITHDRAWAL, LOAN, FINE, CONFISCATION, PAYMENT
}
