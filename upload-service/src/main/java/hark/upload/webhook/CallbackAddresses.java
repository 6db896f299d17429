package hark.upload.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Which addresses Hark may call back. A callback URL is the user's, and Hark calls it from inside
 * its own network: unchecked, it would let anyone make Hark reach its database, its broker or a
 * cloud's metadata service (server-side request forgery). So the host is resolved and every one of
 * its addresses must be public; the call then goes to the address checked, not to a second
 * resolution an attacker's DNS could answer differently.
 */
@Component
public class CallbackAddresses {

    static final int MAX_LENGTH = 2048;

    private final boolean allowPrivate;

    public CallbackAddresses(WebhookProperties props) {
        this.allowPrivate = props.allowPrivate();
    }

    /** A callback address, and the one address of its host that was checked and is to be called. */
    public record Checked(URI uri, InetAddress address) {}

    /** Why a callback URL is refused; its message is shown to the user. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The URL's form alone, without looking its host up; throws {@link Refused}. */
    public URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new Refused("The callback URL is empty");
        }
        if (url.length() > MAX_LENGTH) {
            throw new Refused("The callback URL is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("The callback URL is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("The callback URL must be http or https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new Refused("The callback URL needs a host name and no user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("The callback URL may not have a #fragment");
        }
        return uri;
    }

    /**
     * The URL, its host resolved and checked. Blocks for the lookup: call it where a thread may wait.
     * Every address the host has must be allowed, not just the first: which one a later lookup
     * would give first is up to the host's DNS.
     */
    public Checked check(String url) {
        URI uri = parse(url);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("The callback URL's host " + uri.getHost() + " is not known");
        }
        for (InetAddress address : addresses) {
            String why = refusal(address, allowPrivate);
            if (why != null) {
                throw new Refused("The callback URL's host " + uri.getHost() + " is " + why
                        + "; Hark only calls public addresses");
            }
        }
        return new Checked(uri, addresses[0]);
    }

    /** Why Hark may not call the address, or null when it may. */
    static String refusal(InetAddress address, boolean allowPrivate) {
        InetAddress a = unmapped(address);
        if (a.isAnyLocalAddress()) {
            return "an unspecified address (0.0.0.0 or ::)";
        }
        if (a.isMulticastAddress()) {
            return "a multicast address";
        }
        // Never allowed: 169.254.169.254 is where clouds hand out their machines' credentials.
        if (a.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (allowPrivate) {
            return null;
        }
        if (a.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (a.isSiteLocalAddress() || uniqueLocal(a) || sharedOrReserved(a)) {
            return "a private address";
        }
        return null;
    }

    /**
     * An IPv6 address that carries an IPv4 one is judged as that IPv4 address: mapped
     * (::ffff:10.0.0.1), the old IPv4-compatible form (::10.0.0.1), NAT64 (64:ff9b::/96) and 6to4
     * (2002::/16). Any of them could lead to an internal IPv4 host through the network's translation.
     */
    static InetAddress unmapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (!(address instanceof Inet6Address) || b.length != 16) {
            return address;
        }
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return ipv4(b, 12);
        }
        // ::/96 but not :: and ::1 themselves, which are judged as IPv6's own unspecified and loopback.
        if (zero(b, 0, 12) && !(zero(b, 12, 15) && (b[15] & 0xfe) == 0)) {
            return ipv4(b, 12);
        }
        if ((b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && zero(b, 4, 12)) {
            return ipv4(b, 12);
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return ipv4(b, 2);
        }
        return address;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] b, int at) {
        try {
            return InetAddress.getByAddress(new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** fc00::/7: IPv6's private range, which Java's isSiteLocalAddress (the old fec0::/10) misses. */
    private static boolean uniqueLocal(InetAddress a) {
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** 100.64/10 (carrier NAT, often a cloud's internal network), 0/8 and 240/4 (reserved, broadcast): none public. */
    private static boolean sharedOrReserved(InetAddress a) {
        if (!(a instanceof Inet4Address)) {
            return false;
        }
        int first = a.getAddress()[0] & 0xff;
        int second = a.getAddress()[1] & 0xff;
        return first == 0 || first >= 240 || (first == 100 && second >= 64 && second < 128);
    }
}
