package hark.testing;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Waits out a response's fixed delay while WireMock renders it, so that the answer is complete
 * only when it is due.
 *
 * <p>WireMock itself sleeps at the last moment, after it has told its listeners that the response
 * is being sent. The stand-in would then record a slow request as answered, and stop counting it
 * as in flight, for the whole of its delay: a client that gave up on it would still find it in
 * {@link FakeTranscriptionApi#requests()}, and {@link FakeTranscriptionApi#inFlight()} would not
 * show the calls a test is waiting on.
 */
final class AnswerWhenDue implements ResponseTransformerV2 {

    @Override
    public String getName() {
        return "hark-answer-when-due";
    }

    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
        long delay = response.getInitialDelay();
        if (delay <= 0) {
            return response;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: WireMock then leaves without answering
        }
        return Response.Builder.like(response).incrementInitialDelay(-delay).build();
    }
}
