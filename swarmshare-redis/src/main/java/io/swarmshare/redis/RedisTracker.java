package io.swarmshare.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.swarmshare.api.Announcement;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.FileEntry;
import io.swarmshare.api.FileId;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.MalformedManifestException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PeerAddress;
import io.swarmshare.api.PeerId;
import io.swarmshare.api.PeerInfo;
import io.swarmshare.api.ProtocolException;
import io.swarmshare.api.SwarmException;
import io.swarmshare.api.Tracker;
import io.swarmshare.api.TrackerUnavailableException;
import io.swarmshare.api.UnknownFileException;
import io.swarmshare.internal.protocol.Limits;
import io.swarmshare.internal.tracker.Origin;
import io.swarmshare.internal.tracker.OriginTracker;
import io.swarmshare.internal.tracker.TrackerLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A tracker whose state lives in Redis, so that several tracker nodes pointed at the same Redis
 * are one tracker to their clients, and a node can be restarted or lost without losing the
 * swarm. Serve it on a port with {@code SwarmShare.tracker().store(RedisTracker.connect(uri))},
 * or from the CLI with {@code swarmshare tracker --store redis://HOST:PORT}.
 *
 * <p>It keeps the contract and the caps of the in-memory tracker ({@link TrackerLimits}): names
 * per file, peers per file and files per peer are checked atomically or before each write; the
 * count of files is checked before a new one is stored, so nodes racing at the cap may pass it
 * by the requests in flight. Total memory is bounded by Redis's own {@code maxmemory}, which an
 * operator sets (with {@code noeviction}); see docs/REDIS.md for the key layout.
 *
 * <p>Thread-safe: one Redis connection carries every caller's commands, pipelined. When Redis
 * cannot be reached or does not answer within the command timeout, calls throw
 * {@link TrackerUnavailableException} (a tracker server answers {@code busy}); the connection is
 * re-established in the background and calls succeed again once Redis is back.
 */
public final class RedisTracker implements Tracker, OriginTracker {
  /** The key prefix used unless told otherwise. */
  public static final String DEFAULT_PREFIX = "swarmshare";
  /** How long one Redis command may take before the call fails. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** Seeders put ahead of the random rest of every peer list, as the in-memory tracker does. */
  private static final int PEERS_SEEDERS_ALWAYS = 3;

  private static final Comparator<FileEntry> BY_NAME =
      Comparator.<FileEntry, String>comparing(e -> e.name().toLowerCase(Locale.ROOT))
          .thenComparing(FileEntry::name)
          .thenComparing(e -> e.id().hex());

  private final String uri;
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisCommands<byte[], byte[]> redis;
  /** The same connection's async face, for the scripts that every request runs (see {@link #await}). */
  private final RedisAsyncCommands<byte[], byte[]> async;
  private final Keys keys;
  private final TrackerLimits limits;
  private final InstantSource clock;
  private final Map<String, String> shas = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private RedisTracker(String uri, RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, String prefix,
      TrackerLimits limits, InstantSource clock) {
    this.uri = uri;
    this.client = client;
    this.connection = connection;
    this.redis = connection.sync();
    this.async = connection.async();
    this.keys = new Keys(prefix);
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * Connects to the Redis at {@code uri} ({@code redis://HOST:PORT}, optionally with
   * {@code /DATABASE}) with the default caps, prefix and the system clock.
   *
   * @param uri {@code redis://HOST:PORT}, or {@code rediss://} for TLS
   * @return the connected tracker store
   * @throws TrackerUnavailableException if Redis cannot be reached
   * @throws IllegalArgumentException if the URI is malformed
   */
  public static RedisTracker connect(String uri) throws TrackerUnavailableException {
    return connect(uri, DEFAULT_PREFIX, TrackerLimits.DEFAULTS, InstantSource.system());
  }

  /**
   * Connects with the given key prefix (several trackers can share one Redis under different
   * prefixes), caps and clock (nodes of one tracker should share all three).
   *
   * @param uri {@code redis://HOST:PORT}, or {@code rediss://} for TLS
   * @param prefix the start of every key this tracker writes
   * @param limits the caps on names, peers and files
   * @param clock the time source for peer time-to-live
   * @return the connected tracker store
   * @throws TrackerUnavailableException if Redis cannot be reached
   * @throws IllegalArgumentException if the URI is malformed or the prefix is not 1 to 64 of
   *     {@code [A-Za-z0-9._-]}
   */
  public static RedisTracker connect(String uri, String prefix, TrackerLimits limits, InstantSource clock)
      throws TrackerUnavailableException {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    if (!prefix.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("a key prefix is 1 to 64 of [A-Za-z0-9._-], got '" + prefix + "'");
    }
    RedisURI parsed;
    try {
      parsed = RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a Redis URI: '" + uri + "' (expected redis://HOST:PORT)", e);
    }
    if (!"redis".equals(parsed.toURI().getScheme()) && !"rediss".equals(parsed.toURI().getScheme())) {
      throw new IllegalArgumentException("not a Redis URI: '" + uri + "' (expected redis://HOST:PORT)");
    }
    parsed.setTimeout(DEFAULT_COMMAND_TIMEOUT);
    RedisClient client = RedisClient.create(parsed);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        // Fail fast while Redis is away instead of queueing requests that clients wait on.
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(DEFAULT_COMMAND_TIMEOUT))
        .build());
    String where = parsed.getHost() + ":" + parsed.getPort();
    try {
      StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
      RedisTracker t = new RedisTracker("redis://" + where, client, c, prefix, limits, clock);
      t.redis.ping();
      return t;
    } catch (RedisException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw new TrackerUnavailableException("cannot reach Redis at " + where + " (" + cause(e)
          + "); is redis-server running there?", e);
    }
  }

  /** {@return the caps this tracker enforces} */

  public TrackerLimits limits() {
    return limits;
  }

  @Override
  public void register(Manifest manifest, String name) throws SwarmException {
    register(manifest, name, Origin.IN_PROCESS);
  }

  /**
   * {@link #register(Manifest, String)} from {@code origin}, held to its address's quotas: files
   * registered that nobody announced yet, and names per file.
   */
  @Override
  public void register(Manifest manifest, String name, Origin origin) throws SwarmException {
    TrackerLimits.checkName(name);
    FileId id = manifest.id();
    long now = now();
    byte[][] file = keys.file(id);
    String from = origin.inProcess() ? "" : origin.address();
    List<Object> r = call(() -> {
      if (!isLive(file, now)) {
        if (liveFiles(now) >= limits.maxFiles()) {
          redis.zremrangebyscore(keys.files(), Range.create(Double.NEGATIVE_INFINITY, (double) (now - ttl())));
          if (liveFiles(now) >= limits.maxFiles()) {
            return List.of(Keys.bytes("files"));
          }
        }
        if (!from.isEmpty()) {
          long pending = redis.zcount(keys.pending(from), since(now - unannouncedTtl()));
          if (pending >= limits.maxPendingFilesPerAddress()) {
            return List.of(Keys.bytes("pending"), pending);
          }
        }
      }
      return script(Scripts.REGISTER, file, now, canonical(manifest), num(manifest.chunkCount()), num(manifest.size()),
          Keys.bytes(name), num(limits.maxNamesPerFile()), num(keyTtl()), Keys.bytes(from),
          num(limits.maxNamesPerAddress()));
    });
    String status = text(r.get(0));
    switch (status) {
      case "files" -> throw busy("the tracker knows " + limits.maxFiles() + " files, its limit");
      case "pending" -> throw busy("your address has registered " + r.get(1) + " files that nobody has announced yet,"
          + " its limit; announce them, or wait " + limits.unannouncedTtl().toSeconds() + " s for them to expire");
      case "busy" -> throw busy("file " + id.shortForm() + " already has " + r.get(1) + " names, its limit");
      case "names_from" -> throw busy("your address has already added " + r.get(1) + " names to file "
          + id.shortForm() + ", its limit");
      case "ok" -> {
        boolean fresh = ((Long) r.get(1)) == 1L;
        StringBuilder entry = new StringBuilder().append(manifest.size());
        for (Object n : r.subList(2, r.size())) {
          entry.append('\n').append(text(n));
        }
        call(() -> {
          redis.hset(keys.catalog(), Keys.bytes(id.hex()), Keys.bytes(entry.toString()));
          if (fresh) {
            redis.zadd(keys.files(), (double) now, Keys.bytes(id.hex()));
            if (!from.isEmpty()) {
              redis.zadd(keys.pending(from), (double) now, Keys.bytes(id.hex()));
              redis.pexpire(keys.pending(from), keyTtl());
            }
          }
          return null;
        });
      }
      default -> throw unexpected(status);
    }
  }

  @Override
  public void announce(Announcement a) throws SwarmException {
    announce(a, Origin.IN_PROCESS);
  }

  /**
   * {@link #announce(Announcement)} from {@code origin}: refused with {@code forbidden} if the
   * peer id is bound to another origin, and held to the address's quota of entries.
   */
  @Override
  public void announce(Announcement a, Origin origin) throws SwarmException {
    long now = now();
    String from = origin.inProcess() ? "" : origin.address();
    String fileHex = a.file().hex();
    // One script, one round trip: the binding, the caps outside the file, the file and the
    // bookkeeping (Scripts.ANNOUNCE). A fleet's tracker spends most of its requests here.
    byte[][] file = keys.file(a.file());
    byte[][] keyList = Arrays.copyOf(file, file.length + 4);
    keyList[file.length] = keys.binding(a.peer());
    keyList[file.length + 1] = keys.peerFiles(a.peer());
    keyList[file.length + 2] = keys.entries(from);
    keyList[file.length + 3] = keys.files();
    List<Object> r = call(() -> script(Scripts.ANNOUNCE, keyList, now, Keys.bytes(a.peer().value()),
        entry(a.address(), a.have()), num(a.have().size()), flag(a.have().cardinality() > 0),
        flag(a.have().isComplete()), num(limits.maxPeersPerFile()), num(keyTtl()), Keys.bytes(origin.toString()),
        flag(origin.inProcess()), Keys.bytes(fileHex), Keys.bytes(fileHex + "/" + a.peer().value()),
        num(limits.maxFilesPerPeer()), num(limits.maxEntriesPerAddress()), keys.pendingPrefix()));
    String status = text(r.get(0));
    switch (status) {
      case "ok" -> { }
      case "forbidden" -> throw forbidden(a.peer());
      case "not_found" -> throw new UnknownFileException("the tracker does not know file " + a.file());
      case "bad_size" -> throw new IllegalArgumentException("file " + a.file().shortForm() + " has " + text(r.get(1))
          + " chunks; the announced bitfield has " + a.have().size());
      case "busy" -> throw busy("file " + a.file().shortForm() + " has " + r.get(1) + " peers, its limit");
      case "peer_files" -> throw busy("peer " + a.peer() + " already announces " + r.get(1) + " files, its limit");
      case "entries" -> throw busy("your address already has " + r.get(1) + " announced entries, its limit");
      default -> throw unexpected(status);
    }
  }

  @Override
  public void leave(FileId file, PeerId peer) throws SwarmException {
    leave(file, peer, Origin.IN_PROCESS);
  }

  /** {@link #leave(FileId, PeerId)} from {@code origin}: refused if the id is bound to another origin. */
  @Override
  public void leave(FileId file, PeerId peer, Origin origin) throws SwarmException {
    long now = now();
    boolean refused = call(() -> {
      if (boundElsewhere(peer, origin, now)) {
        return true;
      }
      script(Scripts.LEAVE, keys.file(file), now, Keys.bytes(peer.value()));
      redis.zrem(keys.peerFiles(peer), Keys.bytes(file.hex()));
      if (!origin.inProcess()) {
        redis.zrem(keys.entries(origin.address()), Keys.bytes(file.hex() + "/" + peer.value()));
      }
      return false;
    });
    if (refused) {
      throw forbidden(peer);
    }
  }

  /** The origin {@code peer} is bound to now, if it is bound to one other than {@code origin}. */
  private boolean boundElsewhere(PeerId peer, Origin origin, long now) {
    byte[] v = redis.get(keys.binding(peer));
    if (v == null || origin.inProcess()) {
      return false;
    }
    String[] parts = Keys.string(v).split("\n", 2);
    return Long.parseLong(parts[1]) + ttl() > now && !parts[0].equals(origin.toString());
  }

  private ProtocolException forbidden(PeerId peer) {
    return new ProtocolException("forbidden", "peer id " + peer + " is announced from another address or certificate;"
        + " it stays bound there until " + limits.peerTtl().toSeconds() + " s after its last announce");
  }

  @Override
  public List<PeerInfo> peers(FileId file, int limit) throws SwarmException {
    TrackerLimits.checkLimit(limit);
    long now = now();
    int asked = Math.min(limit, Limits.MAX_PEERS_PER_REPLY);
    List<Object> r = call(() -> script(Scripts.PEERS, keys.file(file), now, num(asked), num(PEERS_SEEDERS_ALWAYS)));
    String status = text(r.get(0));
    if (status.equals("not_found")) {
      throw new UnknownFileException("the tracker does not know file " + file);
    }
    if (!status.equals("ok")) {
      throw unexpected(status);
    }
    int chunks = Integer.parseInt(text(r.get(1)));
    List<PeerInfo> out = new ArrayList<>();
    for (int k = 2; k + 2 < r.size(); k += 3) {
      out.add(peerInfo(text(r.get(k)), text(r.get(k + 1)), (byte[]) r.get(k + 2), chunks));
    }
    return List.copyOf(out);
  }

  @Override
  public Optional<Manifest> manifest(FileId file) throws SwarmException {
    long now = now();
    List<Object> r = call(() -> script(Scripts.DESCRIBE, keys.file(file), now));
    if (!text(r.get(0)).equals("ok")) {
      return Optional.empty();
    }
    return Optional.of(manifestOf(file, (byte[]) r.get(1)));
  }

  @Override
  public List<FileEntry> search(String text, int limit) throws SwarmException {
    TrackerLimits.checkSearchText(text);
    TrackerLimits.checkLimit(limit);
    String needle = text.toLowerCase(Locale.ROOT);
    long now = now();
    int max = Math.min(limit, limits.maxSearchResults());
    // Candidates from the catalog, by name; each is then checked live, in name order, until enough.
    Map<byte[], byte[]> catalog = call(() -> redis.hgetall(keys.catalog()));
    List<FileEntry> candidates = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : catalog.entrySet()) {
      String hex = Keys.string(e.getKey());
      String[] lines = Keys.string(e.getValue()).split("\n", -1);
      FileId id;
      long size;
      try {
        id = FileId.parse(hex);
        size = Long.parseLong(lines[0]);
      } catch (RuntimeException malformed) {
        continue;
      }
      boolean byId = needle.length() >= 8 && hex.startsWith(needle);
      for (int k = 1; k < lines.length; k++) {
        if (byId || lines[k].toLowerCase(Locale.ROOT).contains(needle)) {
          candidates.add(new FileEntry(id, lines[k], size, 0));
        }
      }
    }
    candidates.sort(BY_NAME);
    List<FileEntry> found = new ArrayList<>();
    Map<FileId, Integer> holders = new java.util.HashMap<>();
    List<byte[]> gone = new ArrayList<>();
    for (FileEntry c : candidates) {
      if (found.size() >= max) {
        break;
      }
      Integer peers = holders.get(c.id());
      if (peers == null) {
        List<Object> r = call(() -> script(Scripts.DESCRIBE, keys.file(c.id()), now));
        peers = text(r.get(0)).equals("ok") ? ((Long) r.get(3)).intValue() : -1;
        holders.put(c.id(), peers);
        if (peers < 0) {
          gone.add(Keys.bytes(c.id().hex()));
        }
      }
      if (peers >= 0) {
        found.add(new FileEntry(c.id(), c.name(), c.size(), peers));
      }
    }
    if (!gone.isEmpty()) {
      // Files whose keys expired: drop them from the catalog so later searches skip them.
      call(() -> {
        redis.hdel(keys.catalog(), gone.toArray(byte[][]::new));
        redis.zrem(keys.files(), gone.toArray(byte[][]::new));
        return null;
      });
    }
    return List.copyOf(found);
  }

  /** Disconnects from Redis; the state stays there for other nodes. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    return "RedisTracker[" + uri + "]";
  }

  // --- helpers ---------------------------------------------------------------------------

  private interface Work<T> {
    T run();
  }

  private <T> T call(Work<T> work) throws TrackerUnavailableException {
    if (closed) {
      throw new TrackerUnavailableException("the tracker is closed");
    }
    try {
      return work.run();
    } catch (RedisException e) {
      throw new TrackerUnavailableException("the tracker's store, Redis at " + uri + ", " + reason(e), e);
    }
  }

  /** What went wrong, after "Redis at URI": "is not reachable (connection refused)" and the like. */
  private static String reason(RedisException e) {
    if (e instanceof RedisCommandTimeoutException) {
      return "did not answer within " + DEFAULT_COMMAND_TIMEOUT.toMillis() + " ms";
    }
    if (e instanceof RedisConnectionException) {
      return "is not reachable (" + cause(e) + ")";
    }
    String m = String.valueOf(e.getMessage());
    return m.contains("not connected") ? "is not reachable (disconnected; reconnecting)" : "failed: " + m;
  }

  private static String cause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    // netty says "Connection refused: /127.0.0.1:6379"; the address is in the sentence already.
    int colon = m.indexOf(": /");
    return (colon > 0 ? m.substring(0, colon) : m).toLowerCase(Locale.ROOT);
  }

  /** Runs a script over a file's keys with the prologue's arguments (now, ttl, unannounced ttl) and {@code args}. */
  private List<Object> script(String script, byte[][] keyList, long now, byte[]... args) {
    byte[][] all = new byte[args.length + 3][];
    all[0] = num(now);
    all[1] = num(ttl());
    all[2] = num(unannouncedTtl());
    System.arraycopy(args, 0, all, 3, args.length);
    return evalScript(script, keyList, all);
  }

  private String sha(String script) {
    return shas.computeIfAbsent(script, RedisTracker::sha1);
  }

  private List<Object> evalScript(String script, byte[][] keyList, byte[]... args) {
    String sha = sha(script);
    try {
      return await(async.evalsha(sha, ScriptOutputType.MULTI, keyList, args));
    } catch (RedisNoScriptException e) {
      // Not cached yet, or Redis restarted: send the text once; Redis caches it by its SHA-1.
      return await(async.eval(Keys.bytes(script), ScriptOutputType.MULTI, keyList, args));
    }
  }

  /**
   * Waits for a command as the sync API does, minus its reflective proxy and its timed wait (a
   * timer entry per command): lettuce's own command timeout ({@link TimeoutOptions}, set in
   * {@link #connect}) fails a command that Redis does not answer, so an untimed wait cannot hang.
   */
  private static <T> T await(RedisFuture<T> command) {
    try {
      return command.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RedisException re ? re : new RedisException(cause);
    } catch (InterruptedException e) {
      command.cancel(true);
      Thread.currentThread().interrupt();
      throw new RedisCommandInterruptedException(e);
    }
  }

  private long liveFiles(long now) {
    return redis.zcount(keys.files(), alive(now));
  }

  /** Scores (last-seen milliseconds) still alive at {@code now}: above {@code now - ttl}. */
  private Range<Double> alive(long now) {
    return since(now - ttl());
  }

  /** Scores from {@code from} on, exclusive. */
  private static Range<Double> since(long from) {
    return Range.from(Range.Boundary.excluding((double) from), Range.Boundary.unbounded());
  }

  private boolean isLive(byte[][] file, long now) {
    List<io.lettuce.core.KeyValue<byte[], byte[]>> state = redis.hmget(file[0], Keys.bytes("active"),
        Keys.bytes("announced"));
    if (state.get(0).isEmpty()) {
      return false;
    }
    boolean announced = state.get(1).hasValue() && Keys.string(state.get(1).getValue()).equals("1");
    return Long.parseLong(Keys.string(state.get(0).getValue())) + (announced ? ttl() : unannouncedTtl()) > now;
  }

  private long now() {
    return clock.millis();
  }

  private long ttl() {
    return limits.peerTtl().toMillis();
  }

  private long unannouncedTtl() {
    return limits.unannouncedTtl().toMillis();
  }

  /** Redis removes a file's keys this long after its last write: the TTL plus a margin for clock skew. */
  private long keyTtl() {
    return ttl() + Math.max(ttl() / 4, 5_000);
  }

  private static byte[] num(long n) {
    return Keys.bytes(Long.toString(n));
  }

  private static byte[] flag(boolean b) {
    return Keys.bytes(b ? "1" : "0");
  }

  private static String text(Object o) {
    if (o instanceof byte[] b) {
      return Keys.string(b);
    }
    return String.valueOf(o);
  }

  private static byte[] canonical(Manifest m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(m.canonicalLength(), Integer.MAX_VALUE));
    try {
      m.writeCanonical(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Manifest manifestOf(FileId file, byte[] bytes) throws SwarmException {
    Manifest m;
    try {
      m = Manifest.parse(bytes);
    } catch (MalformedManifestException e) {
      throw new IntegrityException("Redis holds a malformed manifest for " + file + ": " + e.getMessage());
    }
    if (!m.id().equals(file)) {
      throw new IntegrityException("Redis holds a manifest for " + file + " that hashes to " + m.id());
    }
    return m;
  }

  /** A peer's entry: its host and port on the first line, then its bitfield's bytes. */
  private static byte[] entry(PeerAddress address, Bitfield have) {
    byte[] head = Keys.bytes(address.host() + "\n" + address.port() + "\n");
    byte[] bits = have.toByteArray();
    byte[] out = new byte[head.length + bits.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(bits, 0, out, head.length, bits.length);
    return out;
  }

  private static PeerInfo peerInfo(String peer, String lastSeen, byte[] entry, int chunks) throws ProtocolException {
    try {
      int first = indexOf(entry, 0);
      int second = indexOf(entry, first + 1);
      String host = new String(entry, 0, first, StandardCharsets.UTF_8);
      int port = Integer.parseInt(new String(entry, first + 1, second - first - 1, StandardCharsets.UTF_8));
      byte[] bits = java.util.Arrays.copyOfRange(entry, second + 1, entry.length);
      return new PeerInfo(new PeerId(peer), new PeerAddress(host, port), Bitfield.fromBytes(chunks, bits),
          Instant.ofEpochMilli((long) Double.parseDouble(lastSeen)));
    } catch (RuntimeException e) {
      throw new ProtocolException("internal", "Redis holds a malformed entry for peer " + peer + ": " + e.getMessage());
    }
  }

  private static int indexOf(byte[] b, int from) {
    for (int k = from; k < b.length; k++) {
      if (b[k] == '\n') {
        return k;
      }
    }
    throw new IllegalArgumentException("no line break");
  }

  private static ProtocolException busy(String message) {
    return new ProtocolException("busy", message);
  }

  private static IllegalStateException unexpected(String status) {
    return new IllegalStateException("unexpected answer from the tracker's Redis script: " + status);
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
