package hark.upload.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSRF guard's judgement of addresses, with private receivers allowed and not. */
class CallbackAddressesTest {

    @Test
    void internalAddressesAreRefusedUnlessPrivateOnesAreAllowed() throws Exception {
        for (String internal : List.of(
                "127.0.0.1",
                "::1",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1",
                "fc00::1",
                "fd12::1",
                "::ffff:10.0.0.1",
                "::ffff:127.0.0.1",
                "100.64.0.1")) {
            InetAddress address = InetAddress.getByName(internal);
            assertThat(CallbackAddresses.refusal(address, false)).as(internal).isNotNull();
            assertThat(CallbackAddresses.refusal(address, true)).as(internal).isNull();
        }
    }

    @Test
    void linkLocalUnspecifiedAndMulticastAreAlwaysRefused() throws Exception {
        for (String never : List.of(
                "169.254.169.254",
                "169.254.0.1",
                "fe80::1",
                "0.0.0.0",
                "::",
                "224.0.0.1",
                "ff02::1",
                "::ffff:169.254.169.254",
                "::ffff:a9fe:a9fe",
                "64:ff9b::169.254.169.254",
                "2002:a9fe:a9fe::1",
                "0")) {
            InetAddress address = InetAddress.getByName(never);
            assertThat(CallbackAddresses.refusal(address, false)).as(never).isNotNull();
            assertThat(CallbackAddresses.refusal(address, true)).as(never).isNotNull();
        }
    }

    @Test
    void publicAddressesAreAllowed() throws Exception {
        for (String open : List.of("93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "2001:db8::1")) {
            assertThat(CallbackAddresses.refusal(InetAddress.getByName(open), false))
                    .as(open)
                    .isNull();
        }
    }

    @Test
    void onlyHttpUrlsWithAHostAndNoCredentialsAreTaken() {
        var guard = new CallbackAddresses(WebhookPropertiesTest.props(false));
        for (String bad : List.of(
                "file:///etc/passwd",
                "ftp://example.org/",
                "gopher://example.org/",
                "http:///nohost",
                "http://user:pw@example.org/",
                "javascript:alert(1)",
                "not a url",
                "")) {
            assertThatThrownBy(() -> guard.parse(bad)).as(bad).isInstanceOf(CallbackAddresses.Refused.class);
        }
        assertThat(guard.parse("https://example.org/hook?x=1").getHost()).isEqualTo("example.org");
        assertThatThrownBy(() -> guard.check("http://127.0.0.1:8080/"))
                .isInstanceOf(CallbackAddresses.Refused.class)
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> guard.check("http://localhost:8080/")).hasMessageContaining("loopback");
        // Not 127.0.0.1 in octal, as some parsers read it: 177.0.0.1, and that is what is called.
        assertThat(guard.check("http://0177.0.0.1/").address().getHostAddress()).isEqualTo("177.0.0.1");
        // A host this short is not a host at all to java.net.URI.
        assertThatThrownBy(() -> guard.parse("http://127.1/")).isInstanceOf(CallbackAddresses.Refused.class);
        assertThatThrownBy(() -> guard.check("http://169.254.169.254/")).hasMessageContaining("link-local");
    }
}
