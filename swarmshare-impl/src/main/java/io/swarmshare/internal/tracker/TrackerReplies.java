package io.swarmshare.internal.tracker;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.MalformedManifestException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.internal.protocol.ErrorCode;
import io.swarmshare.internal.protocol.FrameException;
import io.swarmshare.internal.protocol.Header;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.protocol.MessageType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tracker's answers as they travel in frames: built by the server, decoded and checked by
 * the client, which trusts nothing it cannot check (a manifest must hash to the id asked for).
 */
final class TrackerReplies {
  private TrackerReplies() {}

  /** {@code ok}: answers register, announce and leave. */
  static Header ok(long id) {
    return Header.request(MessageType.OK.wire(), id);
  }

  /** {@code pong}: answers ping. */
  static Header pong(long id) {
    return Header.request(MessageType.PONG.wire(), id);
  }

  /**
   * The header of a {@code peer_list}; the body that follows is every peer's bitfield of
   * {@code chunks} chunks, in the order listed.
   */
  static Header peerList(long id, FileId file, int chunks, List<PeerInfo> peers) {
    List<Header> entries = new ArrayList<>(peers.size());
    for (PeerInfo p : peers) {
      entries.add(Header.builder().with("peer", p.peer().value()).with("host", p.address().host())
          .with("port", p.address().port()).with("have", p.have().cardinality())
          .with("seen", p.lastSeen().toEpochMilli()).build());
    }
    return Header.requestBuilder(MessageType.PEER_LIST.wire(), id).with("file", file.hex())
        .with("chunks", chunks).with("peers", entries).build();
  }

  /** The body length of a {@code peer_list} of {@code count} peers. */
  static long peerListBodyLength(int chunks, int count) {
    return (long) count * Bitfield.byteLength(chunks);
  }

  /**
   * Decodes a {@code peer_list}, checking every field, that the body holds exactly their
   * bitfields, and that each entry's {@code have} is its bitfield's population count.
   */
  static List<PeerInfo> decodePeerList(Header h, byte[] body) throws FrameException {
    int chunks = h.integer("chunks", 0, Manifest.MAX_CHUNKS);
    List<Header> entries = h.objects("peers");
    if (entries.size() > Limits.MAX_PEERS_PER_REPLY) {
      throw bad("peer_list has " + entries.size() + " peers; at most " + Limits.MAX_PEERS_PER_REPLY + " are allowed");
    }
    int width = Bitfield.byteLength(chunks);
    if (body.length != peerListBodyLength(chunks, entries.size())) {
      throw bad("peer_list of " + entries.size() + " peers of " + chunks + " chunks needs a body of "
          + peerListBodyLength(chunks, entries.size()) + " bytes, got " + body.length);
    }
    List<PeerInfo> peers = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Header e = entries.get(i);
      String peer = e.string("peer", PeerId.MAX_LENGTH);
      String host = e.string("host", 255);
      int port = e.integer("port", 1, 65535);
      int count = e.integer("have", 0, chunks);
      long seen = e.number("seen", 0, Long.MAX_VALUE);
      try {
        Bitfield have = Bitfield.fromBytes(chunks, Arrays.copyOfRange(body, i * width, (i + 1) * width));
        if (have.cardinality() != count) {
          throw bad("peer_list entry " + i + ": 'have' is " + count + " but its bitfield holds " + have.cardinality() + " chunks");
        }
        peers.add(new PeerInfo(new PeerId(peer), new PeerAddress(host, port), have, Instant.ofEpochMilli(seen)));
      } catch (IllegalArgumentException ex) {
        throw bad("peer_list entry " + i + ": " + ex.getMessage());
      }
    }
    return List.copyOf(peers);
  }

  /** The header of a {@code manifest_data}; the body is the manifest's canonical bytes. */
  static Header manifestData(long id, Manifest m) {
    return Header.request(MessageType.MANIFEST_DATA.wire(), id).with("file", m.id().hex()).with("size", m.size())
        .with("chunkSize", m.chunkSize());
  }

  /**
   * The body length a {@code manifest_data} header announces, checked before the body is read.
   *
   * @throws FrameException {@code bad_request} if the layout is not allowed
   */
  static long manifestDataBodyLength(Header h) throws FrameException {
    long size = h.number("size", 0, Long.MAX_VALUE);
    int chunkSize = h.integer("chunkSize", Manifest.MIN_CHUNK_SIZE, Manifest.MAX_CHUNK_SIZE);
    try {
      return Manifest.canonicalLength(size, chunkSize);
    } catch (IllegalArgumentException e) {
      throw bad("manifest_data: " + e.getMessage());
    }
  }

  /**
   * Decodes a {@code manifest_data} body and checks it is the manifest of {@code expected}.
   *
   * @throws IntegrityException if it parses but hashes to another id
   */
  static Manifest decodeManifest(byte[] body, FileId expected) throws MalformedManifestException, IntegrityException {
    Manifest m = Manifest.parse(body);
    if (!m.id().equals(expected)) {
      throw new IntegrityException("manifest hashes to " + m.id() + ", not to the id asked for, " + expected);
    }
    return m;
  }

  /** A {@code search_results} header. */
  static Header searchResults(long id, List<FileEntry> results) {
    List<Header> entries = new ArrayList<>(results.size());
    for (FileEntry r : results) {
      entries.add(Header.builder().with("file", r.id().hex()).with("name", r.name()).with("size", r.size())
          .with("peers", r.peers()).build());
    }
    return Header.request(MessageType.SEARCH_RESULTS.wire(), id).with("results", entries);
  }

  /** Decodes a {@code search_results}, checking every field. */
  static List<FileEntry> decodeSearchResults(Header h) throws FrameException {
    List<Header> entries = h.objects("results");
    if (entries.size() > Limits.MAX_RESULTS_PER_REPLY) {
      throw bad("search_results has " + entries.size() + " results; at most " + Limits.MAX_RESULTS_PER_REPLY
          + " are allowed");
    }
    List<FileEntry> results = new ArrayList<>(entries.size());
    for (Header e : entries) {
      String file = e.string("file", 64);
      if (!FileId.isValid(file)) {
        throw bad("search_results: field 'file' must be 64 lower-case hex digits");
      }
      String name = e.string("name", Limits.MAX_NAME_LENGTH);
      results.add(new FileEntry(new FileId(file), name, e.number("size", 0, Long.MAX_VALUE),
          e.integer("peers", 0, Integer.MAX_VALUE)));
    }
    return List.copyOf(results);
  }

  private static FrameException bad(String message) {
    return new FrameException(ErrorCode.BAD_REQUEST, message);
  }
}
