package hark.upload;

import static org.assertj.core.api.Assertions.assertThat;

import hark.testing.StageTest;
import hark.testing.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** HARK_SIGNUP=closed, as the compose deployment ships: strangers cannot make accounts, an admin can. */
@SpringBootTest(
        classes = UploadServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hark.accounts.signup=closed")
@AutoConfigureWebTestClient
class ClosedSignUpTest extends StageTest {

    @Autowired
    WebTestClient web;

    @Test
    void aStrangerCannotSignUpButAnAdminMakesTheirAccount() {
        web.post()
                .uri("/api/auth/register")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "stranger", "password", "a long enough secret"))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.error")
                .value(m -> assertThat((String) m).contains("Sign-up is closed"));

        web.post()
                .uri("/api/admin/accounts")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin("ops")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "invited", "password", "a long enough secret"))
                .exchange()
                .expectStatus()
                .isCreated();
        web.post()
                .uri("/api/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "invited", "password", "a long enough secret"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.token")
                .isNotEmpty();
    }
}
