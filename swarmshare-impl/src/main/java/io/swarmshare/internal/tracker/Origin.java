package io.swarmshare.internal.tracker;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a request that changes a tracker's state comes from, as the tracker can verify it: the
 * connection's source address and, with TLS, the subject of the certificate the client proved it
 * holds. Never what the client claims. A tracker binds each peer id to the origin that first
 * announced it, and holds each address to its quotas.
 *
 * @param address the address key the connection is counted under (an IPv4 address, or the /64 of
 *     an IPv6 one), or {@code "in-process"}
 * @param certificate the subject of the client's TLS certificate, or null on a plain connection
 */
public record Origin(String address, @Nullable String certificate) {
  /** A call made in the tracker's own process: trusted, bound like any other, held to no quota. */
  public static final Origin IN_PROCESS = new Origin("in-process", null);

  public Origin {
    Objects.requireNonNull(address, "address");
  }

  /** True for {@link #IN_PROCESS}. */
  public boolean inProcess() {
    return equals(IN_PROCESS);
  }

  @Override
  public String toString() {
    return certificate == null ? address : address + " (" + certificate + ")";
  }
}
