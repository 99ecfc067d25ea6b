package io.swarmshare.internal.transport;

import java.io.Serial;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/** A TLS failure whose message was written for the user (by {@link TlsFailures}); never explained twice. */
public final class TlsException extends SSLException {
  @Serial private static final long serialVersionUID = 1L;

  TlsException(String message) {
    super(message);
  }

  TlsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
