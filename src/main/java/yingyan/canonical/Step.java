package yingyan.canonical;

/** Timeline steps, declared in step order (the tie-break when two steps share a time). */
public enum Step {
    RECEIVED, ACCEPTED, FILED, NOTIFIED, HEARD, REVIEWED, DECIDED, ANNOUNCED, CONTRACTED, PAID, EXECUTED, COMPLETED
}
