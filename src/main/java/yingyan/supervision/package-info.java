/**
 * Supervision (鹰眼 proper, docs/contracts/supervision.md): the working-day calendar, the time-limit and
 * risk rules, and the alerts they raise. This package holds the seam between the rules
 * ({@code supervision.rules}, {@code supervision.calendar}: pure functions of canonical records) and the
 * alert engine ({@code supervision.alerts}: storage, evaluation after apply and by the clock, API, feed).
 * Rules read canonical records only, never source payloads.
 */
package yingyan.supervision;
