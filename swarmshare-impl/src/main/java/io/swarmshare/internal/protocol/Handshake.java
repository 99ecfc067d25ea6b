package io.swarmshare.internal.protocol;

import io.swarmshare.api.PeerId;
import io.swarmshare.api.spi.Connection;
import java.io.EOFException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code hello} exchange that opens every connection: each side sends its protocol
 * version, its peer id, its role and the optional features it speaks, then reads the other's.
 * Anything else first is answered with {@code out_of_order} and a close.
 *
 * <p>Features are how the protocol grows without a new version: a side uses a feature on a
 * connection only if the other's hello listed it, and ignores names it does not know, so a
 * peer that predates a feature interoperates unchanged.
 */
public final class Handshake {
  /** The protocol version this code speaks. */
  public static final int VERSION = 1;

  /** The {@code have} announcements of docs/PROTOCOL.md: a server pushes the chunks it obtains. */
  public static final String FEATURE_HAVE = "have";
  /** The features this side speaks, in every hello it sends. */
  public static final List<String> FEATURES = List.of(FEATURE_HAVE);
  /** A hello may list at most this many features, each at most {@link #MAX_FEATURE_LENGTH} chars. */
  public static final int MAX_FEATURES = 32;
  public static final int MAX_FEATURE_LENGTH = 32;

  /** What the other side said in its hello. */
  public record Hello(int version, PeerId peer, String role, @Nullable String software, Set<String> features) {
    public Hello {
      features = Set.copyOf(features);
    }

    /** True if the other side listed {@code feature}, so this side may use it. */
    public boolean speaks(String feature) {
      return features.contains(feature);
    }
  }

  private Handshake() {}

  /** The hello frame this side sends. */
  public static Header hello(PeerId self, String role) {
    return Header.of("hello").with("version", VERSION).with("peer", self.value()).with("role", role)
        .with("software", "swarmshare-java")
        .with("features", FEATURES);
  }

  /**
   * Sends our hello, flushes, and reads and checks theirs. On a breach sends an error frame
   * (best effort) and throws.
   */
  public static Hello exchange(FrameReader reader, FrameWriter writer, PeerId self, String role) throws IOException {
    writer.write(hello(self, role));
    writer.flush();
    return read(reader, writer);
  }

  /**
   * The id the other side's certificate proves, checked against its hello. Over TLS the only id a
   * side may claim is its certificate's ({@link PeerId#fromCertificate}); a hello that claims
   * another is answered with {@code bad_request} (best effort) and refused.
   *
   * @return the proven id, or null if the connection carries no certificate (plain TCP)
   * @throws FrameException if the hello claims an id its certificate does not prove
   */
  public static @Nullable PeerId certify(Hello hello, Connection connection, FrameWriter writer) throws FrameException {
    PeerId proven = connection.peerCertificate().map(PeerId::fromCertificate).orElse(null);
    if (proven != null && !proven.equals(hello.peer())) {
      FrameException e = new FrameException(ErrorCode.BAD_REQUEST, "hello: peer id " + hello.peer()
          + " is not the id of the certificate this side presented, " + proven + " (docs/PROTOCOL.md, section 4)");
      Errors.sendQuietly(writer, -1, e);
      throw e;
    }
    return proven;
  }

  /** Reads and checks the other side's hello, answering a breach with an error frame. */
  public static Hello read(FrameReader reader, FrameWriter writer) throws IOException {
    try {
      Header h = reader.next();
      if (h == null) {
        throw new EOFException("connection closed before hello");
      }
      if (h.type().equals("error")) {
        throw Errors.fromFrame(h);
      }
      if (!h.type().equals("hello")) {
        throw new FrameException(ErrorCode.OUT_OF_ORDER, "expected hello first, got " + h.type());
      }
      if (reader.bodyLength() > 0) {
        throw new FrameException(ErrorCode.TOO_LARGE, "hello has no body, got " + reader.bodyLength() + " bytes");
      }
      int version = h.integer("version", 0, Integer.MAX_VALUE);
      if (version != VERSION) {
        throw new FrameException(ErrorCode.UNSUPPORTED_VERSION,
            "protocol version " + version + " is not supported; this side speaks " + VERSION);
      }
      String peer = h.string("peer", PeerId.MAX_LENGTH);
      if (!PeerId.isValid(peer)) {
        throw new FrameException(ErrorCode.BAD_REQUEST, "hello: peer id must be 1 to 64 chars of [A-Za-z0-9._:-]");
      }
      String role = h.string("role", 16);
      return new Hello(version, new PeerId(peer), role, h.optString("software", 64),
          new HashSet<>(h.optStrings("features", MAX_FEATURES, MAX_FEATURE_LENGTH)));
    } catch (FrameException e) {
      Errors.sendQuietly(writer, -1, e);
      throw e;
    }
  }
}
