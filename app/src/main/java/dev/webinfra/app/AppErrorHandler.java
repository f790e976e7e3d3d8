package dev.webinfra.app;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (malformed requests, 503 while stopping) in the app's JSON shape,
 * stamped, never with a stack trace.
 */
final class AppErrorHandler extends ErrorHandler {
  private final String host;

  AppErrorHandler(String host) {
    this.host = host;
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    response.getHeaders().put(Responses.APP_HOST, host);
    return super.handle(request, response, callback);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    Responses.error(
        response,
        callback,
        code,
        message == null || message.isBlank() ? HttpStatus.getMessage(code) : message);
  }
}
