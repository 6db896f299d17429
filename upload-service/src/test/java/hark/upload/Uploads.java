package hark.upload;

import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** The upload form the page sends, for the upload tests. */
final class Uploads {

    private Uploads() {}

    static MultipartBodyBuilder part(String filename, Resource body) {
        var form = new MultipartBodyBuilder();
        form.part("audio_file", body).filename(filename).contentType(MediaType.parseMediaType("audio/wav"));
        return form;
    }

    static WebTestClient.ResponseSpec upload(WebTestClient web, MultipartBodyBuilder form) {
        return web.post()
                .uri("/api/nodes")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange();
    }
}
