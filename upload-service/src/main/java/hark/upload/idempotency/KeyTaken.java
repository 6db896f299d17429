package hark.upload.idempotency;

/**
 * Another request with the same key made its node first, between this request's look for the key
 * and its own insert. Thrown inside the insert's transaction, so that its node and event roll back;
 * the request then answers what the winner made.
 */
public final class KeyTaken extends RuntimeException {

    KeyTaken(IdempotencyKeys.Claim claim) {
        super("Idempotency-Key " + claim.key() + " of " + claim.userId() + " was taken meanwhile", null, false, false);
    }
}
