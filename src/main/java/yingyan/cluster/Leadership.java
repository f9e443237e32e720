package yingyan.cluster;

/**
 * Published (as a Spring application event, on the thread that decides) just before this node starts a role's
 * routes ({@code leads} true) and just before it stops them ({@code leads} false), so that a job with work of its
 * own in flight (the province push) can stop starting new work at once instead of when its route is stopped.
 */
public record Leadership(String role, boolean leads) {
}
