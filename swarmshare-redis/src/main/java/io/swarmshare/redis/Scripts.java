package io.swarmshare.redis;

/**
 * The Lua scripts that change one file's keys atomically. Every script takes the six keys of
 * one file ({@link Keys#file}), which share a hash tag and so one Redis Cluster slot, and the
 * caller's clock in milliseconds: time comes from the tracker node, as it does for the in-memory
 * tracker, so tests can move it and every node agrees within its clock skew.
 *
 * <p>A peer is alive while {@code lastSeen > now - ttl}; a file is alive while
 * {@code active > now - ttl}, where {@code active} is its last register or announce. Each
 * script first drops the peers that are no longer alive (so no entry outlives its TTL by more
 * than the next request for that file), and every script that writes sets a Redis TTL on all
 * six keys, so a file nobody touches is removed by Redis itself.
 */
final class Scripts {
  private Scripts() {}

  /** Shared prologue: argument names and the pruning of dead peers. */
  private static final String PRUNE = """
      local f, n, p, h, s, i = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
      local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
      local cutoff = now - ttl
      local function alive_file()
        local active = redis.call('HGET', f, 'active')
        return active and tonumber(active) > cutoff
      end
      local function prune()
        local dead = redis.call('ZRANGEBYSCORE', p, '-inf', cutoff)
        if #dead > 0 then
          redis.call('HDEL', i, unpack(dead))
          redis.call('ZREMRANGEBYSCORE', p, '-inf', cutoff)
          redis.call('ZREMRANGEBYSCORE', h, '-inf', cutoff)
          redis.call('ZREMRANGEBYSCORE', s, '-inf', cutoff)
        end
      end
      local function keep(ms)
        for _, k in ipairs(KEYS) do redis.call('PEXPIRE', k, ms) end
      end
      """;

  /**
   * Registers a file under a name. ARGV: now, ttl, manifest bytes, chunk count, size, name, most
   * names, key TTL. Returns {@code {'ok', fresh, name...}} or {@code {'busy', names}}.
   */
  static final String REGISTER = PRUNE + """
      local fresh = 0
      if not alive_file() then
        redis.call('DEL', f, n, p, h, s, i)
        redis.call('HSET', f, 'manifest', ARGV[3], 'chunks', ARGV[4], 'size', ARGV[5])
        fresh = 1
      end
      redis.call('HSET', f, 'active', ARGV[1])
      keep(ARGV[8])
      if not redis.call('LPOS', n, ARGV[6]) then
        local count = redis.call('LLEN', n)
        if count >= tonumber(ARGV[7]) then
          return {'busy', count}
        end
        redis.call('RPUSH', n, ARGV[6])
      end
      local out = {'ok', fresh}
      for _, name in ipairs(redis.call('LRANGE', n, 0, -1)) do table.insert(out, name) end
      return out
      """;

  /**
   * Records a peer's bitfield. ARGV: now, ttl, peer, entry, chunk count, holds any (0/1), holds
   * all (0/1), most peers per file, key TTL. Returns {@code {'ok', new}}, {@code {'not_found'}},
   * {@code {'bad_size', chunks}} or {@code {'busy', peers}}.
   */
  static final String ANNOUNCE = PRUNE + """
      if not alive_file() then return {'not_found'} end
      local chunks = redis.call('HGET', f, 'chunks')
      if chunks ~= ARGV[5] then return {'bad_size', chunks} end
      prune()
      local peer = ARGV[3]
      local new = 0
      if not redis.call('ZSCORE', p, peer) then
        local count = redis.call('ZCARD', p)
        if count >= tonumber(ARGV[8]) then return {'busy', count} end
        new = 1
      end
      redis.call('ZADD', p, now, peer)
      redis.call('HSET', i, peer, ARGV[4])
      if ARGV[6] == '1' then redis.call('ZADD', h, now, peer) else redis.call('ZREM', h, peer) end
      if ARGV[7] == '1' then redis.call('ZADD', s, now, peer) else redis.call('ZREM', s, peer) end
      redis.call('HSET', f, 'active', ARGV[1])
      keep(ARGV[9])
      return {'ok', new}
      """;

  /** Removes a peer. ARGV: now, ttl, peer. Returns {@code {'ok', removed}}. */
  static final String LEAVE = PRUNE + """
      local removed = redis.call('ZREM', p, ARGV[3])
      redis.call('ZREM', h, ARGV[3])
      redis.call('ZREM', s, ARGV[3])
      redis.call('HDEL', i, ARGV[3])
      return {'ok', removed}
      """;

  /**
   * A random sample of live peers with up to a few seeders always in it, as the in-memory
   * tracker's {@code PeerSample} draws it. ARGV: now, ttl, limit, seeders always. Returns
   * {@code {'ok', chunks, peer, lastSeen, entry, ...}} or {@code {'not_found'}}.
   */
  static final String PEERS = PRUNE + """
      if not alive_file() then return {'not_found'} end
      prune()
      local limit = tonumber(ARGV[3])
      local out = {'ok', redis.call('HGET', f, 'chunks')}
      if limit == 0 then return out end
      local chosen, seen = {}, {}
      local first = math.min(limit, tonumber(ARGV[4]))
      if first > 0 then
        for _, peer in ipairs(redis.call('ZRANDMEMBER', s, first)) do
          table.insert(chosen, peer); seen[peer] = true
        end
      end
      for _, peer in ipairs(redis.call('ZRANDMEMBER', p, limit + #chosen)) do
        if #chosen >= limit then break end
        if not seen[peer] then table.insert(chosen, peer); seen[peer] = true end
      end
      for _, peer in ipairs(chosen) do
        table.insert(out, peer)
        table.insert(out, redis.call('ZSCORE', p, peer))
        table.insert(out, redis.call('HGET', i, peer))
      end
      return out
      """;

  /**
   * A file's manifest and how many live peers hold at least one chunk. ARGV: now, ttl. Returns
   * {@code {'ok', manifest, size, holders}} or {@code {'not_found'}}.
   */
  static final String DESCRIBE = PRUNE + """
      if not alive_file() then return {'not_found'} end
      return {'ok', redis.call('HGET', f, 'manifest'), redis.call('HGET', f, 'size'),
        redis.call('ZCOUNT', h, '(' .. cutoff, '+inf')}
      """;
}
