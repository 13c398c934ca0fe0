package dev.paddock.serving;

import java.time.Instant;
import java.util.List;

/** Where requests are recorded (the database). */
public interface RequestLog {
    void record(RequestRecord request);

    /** Requests started at or after {@code since}, for one model or (model null) all, oldest first. */
    List<RequestRecord> since(Instant since, String model);
}
