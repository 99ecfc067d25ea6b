package io.swarmshare.internal.peer;

import io.swarmshare.api.FileId;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.Header;

/**
 * A request from a downloader to a peer, one record per request type of docs/PROTOCOL.md
 * section 8: encoded by the download engine and decoded, with every field checked, by the peer
 * server, so the two cannot disagree and neither switches on strings.
 */
public sealed interface PeerRequest {
  /** The header carrying this request with request id {@code id}. */
  Header header(long id);

  /** {@code get}: one chunk's bytes. */
  record Get(FileId file, int chunk) implements PeerRequest {
    @Override
    public Header header(long id) {
      return PeerMessages.get(id, file, chunk);
    }
  }

  /** {@code bitfield}: which chunks of the file the peer holds (and, with {@code have}, what it gains). */
  record AskBitfield(FileId file) implements PeerRequest {
    @Override
    public Header header(long id) {
      return PeerMessages.bitfieldRequest(id, file);
    }
  }

  /** {@code manifest}: the file's manifest, as a tracker answers it. */
  record AskManifest(FileId file) implements PeerRequest {
    @Override
    public Header header(long id) {
      return PeerMessages.manifestRequest(id, file);
    }
  }

  /** {@code cancel}: withdraws the request with the same id, if not yet answered. */
  record Cancel() implements PeerRequest {
    @Override
    public Header header(long id) {
      return PeerMessages.cancel(id);
    }
  }

  /**
   * Decodes a request header.
   *
   * @throws FrameException {@code unknown_type} for a type that is no request, {@code bad_request}
   *     for a missing or malformed field
   */
  static PeerRequest decode(Header h) throws FrameException {
    return switch (h.type()) {
      case PeerMessages.GET -> new Get(PeerMessages.file(h), h.integer("chunk", 0, Integer.MAX_VALUE));
      case PeerMessages.BITFIELD -> new AskBitfield(PeerMessages.file(h));
      case PeerMessages.MANIFEST -> new AskManifest(PeerMessages.file(h));
      case PeerMessages.CANCEL -> new Cancel();
      default -> throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + h.type() + "'");
    };
  }
}
