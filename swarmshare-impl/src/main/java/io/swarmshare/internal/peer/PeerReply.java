package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.Errors;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.Header;

/**
 * What a peer sends a downloader, one record per frame type of docs/PROTOCOL.md section 8,
 * decoded from the header with every field checked. Bodies stay on the wire: each record says
 * how long its body must be, and the downloader reads it where it belongs (a chunk straight
 * into its buffer).
 */
public sealed interface PeerReply {
  /** {@code chunk}: the answer to {@code get} {@code id}; the body is the chunk's bytes. */
  record Chunk(long id, int chunk) implements PeerReply {}

  /** {@code bitfield}: the answer to a {@code bitfield} request; the body is the bitfield. */
  record Bitfield(long id, int chunks) implements PeerReply {}

  /** {@code have}: chunks of {@code file} the peer obtained, {@code count} 4-byte indexes in the body. */
  record Have(FileId file, int count) implements PeerReply {}

  /**
   * {@code error}: a request failed ({@code id} -1 for an error about the connection).
   *
   * @param retryMs with {@code elsewhere} or {@code busy}, when to ask again (the frame's
   *     {@code retryMs}; 1 s for an {@code elsewhere} without one); 0 if the frame says nothing
   * @param suggest with {@code elsewhere}, chunks the seed would rather send (its {@code
   *     suggest}, unchecked against the file: the session drops indexes out of range); else empty
   */
  record Error(long id, ErrorCode code, ProtocolException exception, long retryMs, int[] suggest) implements PeerReply {}

  /** Chunks an {@code elsewhere} may suggest, at most: more make the frame a protocol violation. */
  int MAX_SUGGESTIONS = 64;

  /** Anything else (a {@code manifest_data} nobody asked for, a type from a later version): skipped. */
  record Other(String type) implements PeerReply {}

  /**
   * Decodes a header a downloader received.
   *
   * @throws FrameException {@code bad_request} for a known type with a missing or malformed field
   */
  static PeerReply decode(Header h) throws FrameException {
    return switch (h.type()) {
      case PeerMessages.CHUNK -> new Chunk(h.id(), h.integer("chunk", 0, Integer.MAX_VALUE));
      case PeerMessages.BITFIELD -> new Bitfield(h.id(), h.integer("chunks", 0, Integer.MAX_VALUE));
      case PeerMessages.HAVE -> new Have(PeerMessages.file(h), h.integer("count", 0, PeerMessages.MAX_HAVE_INDEXES));
      case "error" -> {
        ProtocolException e = Errors.fromFrame(h);
        ErrorCode code = ErrorCode.fromWire(e.code());
        long retry = h.has("retryMs") ? h.number("retryMs", 1, 60_000) : code == ErrorCode.ELSEWHERE ? 1000 : 0;
        yield new Error(h.id(), code, e, retry, code == ErrorCode.ELSEWHERE ? suggestions(h) : new int[0]);
      }
      default -> new Other(h.type());
    };
  }

  private static int[] suggestions(Header h) throws FrameException {
    if (!h.has("suggest")) {
      return new int[0];
    }
    long[] raw = h.numbers("suggest");
    if (raw.length > MAX_SUGGESTIONS) {
      throw new FrameException(ErrorCode.BAD_REQUEST, "elsewhere: " + raw.length + " chunks suggested, at most "
          + MAX_SUGGESTIONS + " allowed");
    }
    int[] out = new int[raw.length];
    int n = 0;
    for (long c : raw) {
      if (c >= 0 && c <= Integer.MAX_VALUE) {
        out[n++] = (int) c;
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }
}
