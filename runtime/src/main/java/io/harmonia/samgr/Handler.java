package io.harmonia.samgr;

/**
 * Receives the response to a request (OpenHarmony's {@code Handler}), or runs a direct request. A response handler
 * runs on the task thread of the service that sent the request, or synchronously on the responder's thread when
 * the sender was not on a samgr task thread.
 */
@FunctionalInterface
public interface Handler
{
    /**
     * Handles a response or a direct request.
     *
     * @param request  the request that was sent (samgr's bound copy).
     * @param response the response; {@link Response#EMPTY} for the automatic one.
     */
    void handle(Request request, Response response);
}
