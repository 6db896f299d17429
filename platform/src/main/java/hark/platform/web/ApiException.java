package hark.platform.web;

import org.springframework.http.HttpStatus;

/** An answer for the client: a status and a message a person understands. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    public ApiException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
