package hark.upload.account;

import hark.platform.startup.ConfigurationMistake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The operator's admin account: with HARK_ADMIN_PASSWORD set, HARK_ADMIN_NAME is made an admin with
 * that password at start (and reset to it, if it had changed or someone else had the name).
 */
@Component
public class OperatorAdmin implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(OperatorAdmin.class);

    private final AccountProperties props;
    private final AccountRepository accounts;
    private final Accounts changes;

    public OperatorAdmin(AccountProperties props, AccountRepository accounts, Accounts changes) {
        this.props = props;
        this.accounts = accounts;
        this.changes = changes;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!props.hasAdminPassword()) {
            return;
        }
        String password = props.adminPassword();
        if (password.length() < 8 || password.length() > 72) {
            throw new ConfigurationMistake(
                    "HARK_ADMIN_PASSWORD has " + password.length() + " characters: a password has 8 to 72");
        }
        String name = props.adminName();
        // Unchanged since the last start: nothing to do, and the operator's sign-ins stay.
        boolean current = Boolean.TRUE.equals(accounts.find(name)
                .filterWhen(account -> changes.matches(password, account.passwordHash()))
                .map(Account::admin)
                .defaultIfEmpty(false)
                .block());
        if (!current) {
            changes.ensureAdmin(name, password).block();
            log.info("The operator's admin account '{}' is set from HARK_ADMIN_PASSWORD", name);
        }
    }
}
