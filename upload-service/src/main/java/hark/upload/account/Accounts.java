package hark.upload.account;

import hark.platform.kafka.EventPublisher;
import hark.platform.outbox.OutboxRelay;
import hark.platform.outbox.OutboxWriter;
import hark.schemas.AccountErased;
import hark.schemas.PriorityChanged;
import hark.schemas.TokensRevoked;
import hark.upload.apikey.ApiKeyIssuer;
import hark.upload.node.Node;
import hark.upload.node.NodeRepository;
import hark.upload.webhook.WebhookSettings;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Changes to accounts that other services must hear of: those that end sign-ins, and priorities.
 * The change and its event commit together (the outbox), so every service hears of it even if
 * this one stops right after.
 */
@Component
public class Accounts {

    private final AccountRepository accounts;
    private final TransactionalOperator tx;
    private final OutboxWriter outbox;
    private final BCryptPasswordEncoder passwords = new BCryptPasswordEncoder();

    private final NodeRepository nodes;
    private final ApiKeyIssuer apiKeys;
    private final WebhookSettings webhooks;

    public Accounts(
            AccountRepository accounts,
            TransactionalOperator tx,
            DatabaseClient db,
            EventPublisher publisher,
            NodeRepository nodes,
            ApiKeyIssuer apiKeys,
            WebhookSettings webhooks,
            @Qualifier("uploadOutboxRelay") OutboxRelay relay) {
        this.accounts = accounts;
        this.webhooks = webhooks;
        this.apiKeys = apiKeys;
        this.nodes = nodes;
        this.tx = tx;
        this.outbox = new OutboxWriter(db, publisher, relay);
    }

    /** bcrypt, off the event loop: a hash takes about a tenth of a second on purpose. */
    public Mono<String> hash(String password) {
        return Mono.fromCallable(() -> passwords.encode(password)).subscribeOn(Schedulers.boundedElastic());
    }

    public Mono<Boolean> matches(String password, String hash) {
        return Mono.fromCallable(() -> passwords.matches(password, hash)).subscribeOn(Schedulers.boundedElastic());
    }

    /** A new password, and every earlier sign-in of the account ends. */
    public Mono<Account> changePassword(String username, String password) {
        return hash(password)
                .flatMap(hash ->
                        tx.transactional(accounts.changePassword(username, hash).flatMap(this::endEarlierSignIns)));
    }

    /** Grants or withdraws the admin role; a withdrawal ends every sign-in. Empty for an unknown name. */
    public Mono<Account> setAdmin(String username, boolean admin) {
        return tx.transactional(accounts.setAdmin(username, admin)
                .flatMap(account -> admin ? Mono.just(account) : endEarlierSignIns(account)));
    }

    /** The user's weight in the transcribe queue, told to the dispatcher. Empty for an unknown name. */
    public Mono<Account> setPriority(String username, int weight) {
        return accounts.find(username)
                .flatMap(account -> outbox.append(PriorityChanged.of(account.username(), weight))
                        .thenReturn(account));
    }

    /**
     * Erases the account and every recording of it, in one transaction: its sign-ins end, its
     * nodes go (each recording announced as erased), its webhook secret and calls go, and the status service is asked to clear the
     * user; the name is freed when it answers ({@link #forgetErased}).
     */
    public Mono<Void> erase(String username) {
        Mono<Void> work = accounts.markErasing(username)
                .flatMap(account -> nodes.rootsOf(username)
                        .concatMap(root -> nodes.erase(root, username))
                        .map(Node::id)
                        .collectList()
                        .flatMap(erased -> outbox.append(AccountErased.of(username, erased)))
                        .then(webhooks.forget(username))
                        .then(endEarlierSignIns(account)))
                .then();
        return tx.transactional(work);
    }

    /** The status service shows nothing of the erased account: its name is free again. */
    public Mono<Void> forgetErased(String username) {
        return accounts.forgetErased(username).then();
    }

    /** The operator's account from HARK_ADMIN_PASSWORD: made or reset, its earlier sign-ins ended. */
    public Mono<Account> ensureAdmin(String username, String password) {
        return hash(password)
                .flatMap(hash ->
                        tx.transactional(accounts.ensureAdmin(username, hash).flatMap(this::endEarlierSignIns)));
    }

    /** That one token is refused from now on (its holder signed out). */
    public Mono<Void> signOut(String username, String tokenId, Instant expiresAt) {
        return outbox.append(TokensRevoked.signedOut(username, tokenId, expiresAt));
    }

    /** Every token of the account so far, and every API key of it (see {@link ApiKeyIssuer#revokeAll}). */
    private Mono<Account> endEarlierSignIns(Account account) {
        return outbox.append(TokensRevoked.allBelow(account.username(), account.tokenVersion()))
                .then(apiKeys.revokeAll(account.username()))
                .thenReturn(account);
    }
}
