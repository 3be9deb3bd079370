package io.tttv2.integration.serving.http;

/**
 * A request the server answers with an error, in OpenAI's shape:
 * {@code {"error": {"message", "type", "param", "code"}}}.
 *
 * @param status HTTP status
 * @param type   OpenAI's error type, e.g. {@code invalid_request_error}
 * @param param  the request field at fault, or null
 * @param code   OpenAI's error code, or null
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String param;
    final String code;

    ApiError(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 naming {@code param}. */
    static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", param, null, message);
    }
}
