package yingyan.audit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an API handler that hands out personal data (a quarantined raw payload, a CSV export): every call is
 * written to the audit log like an action, with the signed-in person, the exact target (path and query),
 * the HTTP status and what the handler noted it returned ({@link AuditInterceptor#note}), e.g. the entry or
 * the number of rows. Reads of the JSON lists are not audited: they are what the console polls.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PersonalDataRead {
    /** Opening a quarantined item with its (masked) raw payload. */
    String QUARANTINE_RAW = "READ quarantine raw payload";
    /** The records list as CSV. */
    String RECORDS_CSV = "EXPORT records CSV";
    /** The quarantine list as CSV. */
    String QUARANTINE_CSV = "EXPORT quarantine CSV";

    /** The audit entry's action: one of this annotation's constants. */
    String value();
}
