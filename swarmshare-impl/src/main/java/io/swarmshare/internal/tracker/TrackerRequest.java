package io.swarmshare.internal.tracker;

import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileId;
import io.swarmshare.api.Manifest;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.protocol.MessageType;
import org.jspecify.annotations.Nullable;

/**
 * A request to a tracker as it travels in a frame header: one record per message type of
 * {@code docs/PROTOCOL.md}, encoded by the client and decoded, with every field checked, by the
 * server. The body a request carries is not part of the record; {@link #bodyLength()} says how
 * long it must be, so a server refuses a wrong body before reading it.
 */
sealed interface TrackerRequest {
  /** The message type. */
  MessageType type();

  /** The header carrying this request with request id {@code id}. */
  Header header(long id);

  /** The exact body length this request's header implies. */
  default long bodyLength() {
    return 0;
  }

  /** {@code ping}: a liveness check. */
  record Ping() implements TrackerRequest {
    @Override
    public MessageType type() {
      return MessageType.PING;
    }

    @Override
    public Header header(long id) {
      return Header.request(type().wire(), id);
    }
  }

  /** {@code register}: the body is the manifest's canonical bytes. */
  record Register(FileId file, String name, long size, int chunkSize) implements TrackerRequest {
    static Register of(Manifest m, String name) {
      return new Register(m.id(), name, m.size(), m.chunkSize());
    }

    @Override
    public MessageType type() {
      return MessageType.REGISTER;
    }

    @Override
    public Header header(long id) {
      return Header.request(type().wire(), id).with("file", file.hex()).with("name", name)
          .with("size", size).with("chunkSize", chunkSize);
    }

    @Override
    public long bodyLength() {
      return Manifest.canonicalLength(size, chunkSize);
    }
  }

  /**
   * {@code announce}: the body is the sender's bitfield of {@code chunks} chunks. The optional
   * progress fields are -1 ({@code complete} null) when absent.
   */
  record Announce(FileId file, int port, int chunks, long uploaded, long downloaded, @Nullable Boolean complete)
      implements TrackerRequest {
    /** An announce reporting {@code progress}, or nothing if it is null. */
    static Announce of(Announcement a) {
      Announcement.Progress p = a.progress();
      return new Announce(a.file(), a.address().port(), a.have().size(), p == null ? -1 : p.uploaded(),
          p == null ? -1 : p.downloaded(), p == null ? null : p.complete());
    }

    /** The progress to file under the sender, or null if it reported none; {@code complete} defaults to the bitfield. */
    Announcement.@Nullable Progress progress(Bitfield have) {
      if (uploaded < 0 && downloaded < 0 && complete == null) {
        return null;
      }
      return new Announcement.Progress(uploaded, downloaded, complete != null ? complete : have.isComplete());
    }

    @Override
    public MessageType type() {
      return MessageType.ANNOUNCE;
    }

    @Override
    public Header header(long id) {
      // The request a fleet sends most: one map, not a copy per field.
      Header.Builder h = Header.requestBuilder(type().wire(), id).with("file", file.hex())
          .with("port", port).with("chunks", chunks);
      if (uploaded >= 0) {
        h.with("uploaded", uploaded);
      }
      if (downloaded >= 0) {
        h.with("downloaded", downloaded);
      }
      if (complete != null) {
        h.with("complete", complete);
      }
      return h.build();
    }

    @Override
    public long bodyLength() {
      return Bitfield.byteLength(chunks);
    }
  }

  /** {@code leave}: the sender stops serving a file. */
  record Leave(FileId file) implements TrackerRequest {
    @Override
    public MessageType type() {
      return MessageType.LEAVE;
    }

    @Override
    public Header header(long id) {
      return Header.request(type().wire(), id).with("file", file.hex());
    }
  }

  /** {@code peers}: up to {@code limit} peers of a file. */
  record Peers(FileId file, int limit) implements TrackerRequest {
    @Override
    public MessageType type() {
      return MessageType.PEERS;
    }

    @Override
    public Header header(long id) {
      return Header.request(type().wire(), id).with("file", file.hex()).with("limit", limit);
    }
  }

  /** {@code manifest}: a file's manifest by id. */
  record GetManifest(FileId file) implements TrackerRequest {
    @Override
    public MessageType type() {
      return MessageType.MANIFEST;
    }

    @Override
    public Header header(long id) {
      return Header.request(type().wire(), id).with("file", file.hex());
    }
  }

  /** {@code search}: files whose name contains {@code text}, ignoring case. */
  record Search(String text, int limit) implements TrackerRequest {
    @Override
    public MessageType type() {
      return MessageType.SEARCH;
    }

    @Override
    public Header header(long id) {
      return Header.request(type().wire(), id).with("text", text).with("limit", limit);
    }
  }

  /**
   * Decodes and checks a request header.
   *
   * @throws FrameException {@code unknown_type} for a type that is not a tracker request,
   *     {@code bad_request} for a missing, mistyped or out-of-range field
   */
  static TrackerRequest decode(Header h) throws FrameException {
    MessageType type = MessageType.of(h).orElseThrow(() -> new FrameException(ErrorCode.UNKNOWN_TYPE,
        "unknown message type '" + abbreviate(h.type()) + "'"));
    return switch (type) {
      case PING -> new Ping();
      case REGISTER -> {
        FileId file = file(h);
        String name = h.string("name", Limits.MAX_NAME_LENGTH);
        long size = h.number("size", 0, Long.MAX_VALUE);
        int chunkSize = h.integer("chunkSize", Manifest.MIN_CHUNK_SIZE, Manifest.MAX_CHUNK_SIZE);
        try {
          TrackerLimits.checkName(name);
          Manifest.checkLayout(size, chunkSize);
        } catch (IllegalArgumentException e) {
          throw new FrameException(ErrorCode.BAD_REQUEST, "register: " + e.getMessage());
        }
        yield new Register(file, name, size, chunkSize);
      }
      case ANNOUNCE -> new Announce(file(h), h.integer("port", 1, 65535), h.integer("chunks", 0, Manifest.MAX_CHUNKS),
          h.has("uploaded") ? h.number("uploaded", 0, Announcement.Progress.MAX_BYTES) : -1,
          h.has("downloaded") ? h.number("downloaded", 0, Announcement.Progress.MAX_BYTES) : -1,
          h.has("complete") ? (Boolean) h.bool("complete", false) : null);
      case LEAVE -> new Leave(file(h));
      case PEERS -> new Peers(file(h), h.integer("limit", 0, Integer.MAX_VALUE));
      case MANIFEST -> new GetManifest(file(h));
      case SEARCH -> new Search(h.string("text", Limits.MAX_SEARCH_TEXT_LENGTH), h.integer("limit", 0, Integer.MAX_VALUE));
      default -> throw new FrameException(ErrorCode.UNKNOWN_TYPE, "'" + type.wire() + "' is not a tracker request");
    };
  }

  private static FileId file(Header h) throws FrameException {
    String hex = h.string("file", 64);
    if (!FileId.isValid(hex)) {
      throw new FrameException(ErrorCode.BAD_REQUEST, h.type() + ": field 'file' must be 64 lower-case hex digits");
    }
    return new FileId(hex);
  }

  private static String abbreviate(String s) {
    return Limits.abbreviate(s, 43);
  }
}
