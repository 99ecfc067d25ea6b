package io.swarmshare.internal.protocol;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The message catalogue of {@code docs/PROTOCOL.md}: every frame type, and the largest body it
 * may carry. A receiver checks a frame's body length against its type before reading a byte of
 * it. These are the tracker's messages; the peer messages ({@code get}, {@code chunk},
 * {@code cancel}, {@code bitfield}) are in {@code io.swarmshare.internal.peer.PeerMessages}.
 */
public enum MessageType {
  /** Opens a connection, in each direction. */
  HELLO("hello", 0),
  /** Answers a request that failed, or reports a breach before a close. */
  ERROR("error", 0),
  /** Asks the other side to answer {@link #PONG}: a liveness check. */
  PING("ping", 0),
  /** Answers {@link #PING}. */
  PONG("pong", 0),
  /** Answers {@link #REGISTER}, {@link #ANNOUNCE} and {@link #LEAVE}. */
  OK("ok", 0),
  /** Files a manifest under its id and a name; the body is the manifest's canonical bytes. */
  REGISTER("register", Manifest.maxCanonicalLength()),
  /** Says which chunks of a file the sender holds; the body is a bitfield. */
  ANNOUNCE("announce", Bitfield.byteLength(Manifest.MAX_CHUNKS)),
  /** Says the sender no longer serves a file. */
  LEAVE("leave", 0),
  /** Asks for the peers of a file. */
  PEERS("peers", 0),
  /** Answers {@link #PEERS}; the body is every listed peer's bitfield, in order. */
  PEER_LIST("peer_list", (long) Limits.MAX_PEERS_PER_REPLY * Bitfield.byteLength(Manifest.MAX_CHUNKS)),
  /** Asks for a file's manifest by id. */
  MANIFEST("manifest", 0),
  /** Answers {@link #MANIFEST}; the body is the manifest's canonical bytes. */
  MANIFEST_DATA("manifest_data", Manifest.maxCanonicalLength()),
  /** Asks for files whose name contains a text. */
  SEARCH("search", 0),
  /** Answers {@link #SEARCH}. */
  SEARCH_RESULTS("search_results", 0);

  private static final Map<String, MessageType> BY_WIRE =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(MessageType::wire, Function.identity()));

  private final String wire;
  private final long maxBody;

  MessageType(String wire, long maxBody) {
    this.wire = wire;
    this.maxBody = maxBody;
  }

  /** The {@code type} field as it appears in JSON. */
  public String wire() {
    return wire;
  }

  /** The largest body a frame of this type may carry, in bytes; 0 for types without a body. */
  public long maxBody() {
    return maxBody;
  }

  /** The type a header names, or empty if this side does not know it. */
  public static Optional<MessageType> of(Header header) {
    return Optional.ofNullable(BY_WIRE.get(header.type()));
  }
}
