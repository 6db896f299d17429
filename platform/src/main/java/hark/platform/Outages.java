package hark.platform;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.net.ConnectException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells an outage of the broker or the database (a restart, a failover, a network blip: it ends
 * by itself) from a failure of the work. A stage waits an outage out instead of spending its
 * retries on it: otherwise a database restart of a few seconds would fail every job that
 * happened to reach a database step meanwhile, and a view would drop the events it could not store.
 */
public final class Outages {

    private Outages() {}

    /** Whether {@code failure}, or anything that caused it, says the broker or the database could not be reached. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BrokerUnavailable
                    || t instanceof RetriableException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof R2dbcNonTransientResourceException
                    || t instanceof R2dbcTransientException
                    || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof PermanentFailure || t instanceof ReplayableFailure) {
                // A stage's own verdict on the work wins over whatever lies beneath it.
                return false;
            }
        }
        return false;
    }

    /** The broker did not take an event in time; the event can be sent once it is back. */
    public static final class BrokerUnavailable extends IllegalStateException {

        public BrokerUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
