package hark.upload.account;

import hark.platform.startup.ConfigurationMistake;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may have an account, and how often a stranger may knock.
 *
 * @param signup          {@code HARK_SIGNUP}: {@code open} (anyone may create an account) or
 *                        {@code closed} (only an admin creates them: {@code POST /api/admin/accounts})
 * @param adminName       {@code HARK_ADMIN_NAME}: the operator's account, made admin at start when
 *                        {@code adminPassword} is set
 * @param adminPassword   {@code HARK_ADMIN_PASSWORD}: set, it makes (or resets) {@code adminName}
 *                        as an admin with this password; only the operator knows it
 * @param signInPerMinute sign-in tries allowed per client address, and per account name, a minute
 * @param signUpsPerHour  accounts one client address may create an hour
 */
@ConfigurationProperties("hark.accounts")
public record AccountProperties(
        String signup, String adminName, String adminPassword, int signInPerMinute, int signUpsPerHour) {

    public AccountProperties {
        signup = signup == null || signup.isBlank() ? "open" : signup.strip().toLowerCase(java.util.Locale.ROOT);
        if (!signup.equals("open") && !signup.equals("closed")) {
            throw new ConfigurationMistake("HARK_SIGNUP '" + signup + "': use open or closed");
        }
        adminName = adminName == null || adminName.isBlank() ? "admin" : adminName.strip();
    }

    public boolean signupOpen() {
        return signup.equals("open");
    }

    public boolean hasAdminPassword() {
        return adminPassword != null && !adminPassword.isBlank();
    }
}
